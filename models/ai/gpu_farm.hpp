#pragma once
/// GpuFarm: the facility's own GPU clusters, the job queue and the running jobs.
///
/// GPUs are counted per cluster (a job runs inside one cluster; node placement is not
/// modelled beyond rounding a multi-node job up to whole nodes). A job holds its GPUs from
/// start to end. Its work W (seconds of work at full power) advances only while it runs, after
/// any restart delay, at the relative throughput r of its cluster (1 uncapped, see Power):
///
///   W(t)        = W(t_mark) + r · max(0, t − max(t_mark, t_start + d_restart))
///                 (t_mark: the last instant r changed or the run started; W ≤ D)
///   end         = max(t_mark, t_start + d_restart) + ⌈(D − W(t_mark)) / r⌉   (whole seconds,
///                 rounded up: the job ends at the first whole second its work is done)
///   W_saved'    = ⌊W / c⌋ · c      (c: checkpoint interval; 0 when c = 0)
///
/// so a preemption loses (W − W_saved') seconds of work on all its GPUs and the job queues
/// again (at its original place) for D − W_saved' more seconds, paying d_restart on its next
/// start. At r = 1 everything stays in integer seconds, as before capping existed.
///
/// Power (grid, MW), per cluster c with budget B_c (set_power_budget_mw; infinity: none):
///
///   P_full = busy_c · power_w · PUE          busy GPUs at full power
///   P_idle = (count_c − busy_c) · idle_w · PUE
///   f      = 1 if P_full ≤ B_c, else B_c / P_full     (power fraction of the busy GPUs)
///   P      = min(B_c, min(P_full, B_c) + P_idle)      (idle GPUs switch off first: whenever
///                                                      f < 1 they are all off)
///
/// and the busy GPUs work at r = f^α (ClusterSpec::throughput). A job starts on c only if
/// P_full stays ≤ B_c (so a start never caps anyone). Lowering B_c below P_full caps the
/// cluster; only when f_min · P_full > B_c are jobs preempted (lowest contract priority
/// first, then the most recently started) until f_min · P_full ≤ B_c. Raising B_c or ending a
/// job on a capped cluster raises f again; every change of r moves the running jobs' ends.
///
/// Events: the end of each running job (cancelled on preemption, moved when r changes) and
/// one scheduling pass per instant at which anything changed (priority kDecision, after every
/// arrival and end at that instant), in which the GpuScheduler starts jobs.
#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "models/ai/gpu_cluster.hpp"
#include "models/ai/gpu_scheduler.hpp"
#include "models/ai/job.hpp"
#include "sim/core/engine.hpp"
#include "sim/core/ledger.hpp"
#include "sim/output/dataset.hpp"

namespace hybridsim::models::ai {

class GpuFarm {
 public:
  using Slot = std::uint32_t;

  /// A live (queued or running) job.
  struct Job {
    std::int64_t id = 0;          ///< row in the job table (submission order)
    int gpus = 0;                 ///< requested
    int alloc = 0;                ///< GPUs held while running (whole nodes when multi-node)
    int contract = -1;            ///< billed contract, -1: none
    int priority = 0;
    int cluster = -1;             ///< while running
    sim::SimTime duration_s = 0;  ///< total work
    sim::SimTime saved_s = 0;     ///< work saved at the last checkpoint
    sim::SimTime checkpoint_s = 0;
    sim::SimTime restart_delay_s = 0;
    sim::SimTime segment_start_s = 0;  ///< start of the current run
    sim::SimTime segment_delay_s = 0;  ///< restart delay paid in the current run
    sim::SimTime mark_s = 0;           ///< last instant done_s was brought up to date
    double done_s = 0.0;               ///< work done at mark_s, seconds at full power
    double rate = 1.0;                 ///< relative throughput r now (its cluster's)
    sim::SimTime end_s = 0;            ///< scheduled end of the current run
    sim::EventId end_event;
    bool live = false;
    bool running = false;
    bool restarted = false;  ///< preempted at least once: every start pays the restart delay
    /// Seconds a run started now would last: restart delay (if any) plus the unsaved work.
    sim::SimTime runtime_s() const { return (restarted ? restart_delay_s : 0) + duration_s - saved_s; }
  };

  /// Queue order: scheduler rank, then submission order.
  struct QueueKey {
    int rank;
    std::int64_t id;
    Slot slot;
    auto operator<=>(const QueueKey&) const = default;
  };

  /// One row of the job table.
  struct JobRow {
    sim::SimTime submit_s = 0;
    sim::SimTime first_start_s = -1;
    sim::SimTime end_s = -1;
    sim::SimTime duration_s = 0;
    double lost_gpu_s = 0.0;  ///< GPU-seconds of work lost to preemptions
    std::int32_t gpus = 0;
    std::int32_t preemptions = 0;
    std::int32_t contract = -1;
    JobStatus status = JobStatus::kQueued;
  };

  /// `clusters` are the owned clusters (tenant ones are not scheduled); `contracts` the
  /// number of contracts jobs may be billed to.
  GpuFarm(std::vector<ClusterSpec> clusters, std::unique_ptr<GpuScheduler> scheduler, int contracts);
  GpuFarm(const GpuFarm&) = delete;
  GpuFarm& operator=(const GpuFarm&) = delete;

  /// Binds the farm to the run's engine; call once before anything else.
  void attach(sim::Engine& engine) { engine_ = &engine; }

  /// Submits a job at the engine's current time, billed to `contract` (-1: none) whose
  /// scheduling priority is `priority`. Returns its id (row in the job table). A job wider
  /// than every cluster is rejected (status "rejected").
  std::int64_t submit(const JobRequest& request, int contract, int priority);
  /// Sets the grid-power budget of owned cluster `c`, MW (>= 0; infinity: none): caps the
  /// busy GPUs' power, and preempts jobs there only when even the floor f_min does not fit.
  void set_power_budget_mw(int c, double budget_mw);
  double power_budget_mw(int c) const { return budget_mw_[c]; }
  /// Called with a cluster's index when its demand moves outside a power decision: a job
  /// that could run on it arrives, a job on it ends, a contract's jobs are cancelled.
  void set_demand_listener(std::function<void(int)> listener) { demand_listener_ = std::move(listener); }
  /// Lumps of lost work, GPU-hours, are added to `flow` at each preemption (null: none).
  void set_lost_work_flow(sim::Flow* flow) { lost_work_gpu_h_ = flow; }
  /// Ends every job billed to `contract` (queued ones leave the queue, running ones stop):
  /// the customer is gone.
  void cancel_contract(int contract);

  // --- For schedulers ---
  sim::SimTime now() const { return engine_->now(); }
  const std::set<QueueKey>& queue() const { return queue_; }
  const Job& job(Slot s) const { return jobs_[s]; }
  int cluster_count() const { return static_cast<int>(clusters_.size()); }
  const ClusterSpec& cluster(int c) const { return clusters_[c]; }
  int free_gpus(int c) const { return clusters_[c].count - busy_[c]; }
  int total_free_gpus() const { return owned_gpus_ - gpus_busy_; }
  /// True if job `s` can start on cluster `c` now: enough free GPUs and power budget.
  bool fits_on(Slot s, int c) const;
  /// The first cluster (in declaration order) on which job `s` fits now; -1 if none.
  int first_fit(Slot s) const;
  /// Running jobs of cluster `c` by expected end time.
  const std::set<std::pair<sim::SimTime, Slot>>& running_on(int c) const { return running_[c]; }
  /// Starts queued job `s` on cluster `c` (must fit).
  void start(Slot s, int c);
  /// Stops running job `s`: it loses the work since its last checkpoint and queues again.
  void preempt(Slot s);
  /// Grid power job `s` would draw at full power on cluster `c`, MW.
  double job_power_mw(Slot s, int c) const;
  /// Grid power of cluster `c`'s busy GPUs at full power (P_full), MW.
  double full_busy_power_mw(int c) const;
  /// Work job `s` has done by now, seconds at full power (saved work when it is queued).
  double work_done_s(Slot s) const;
  /// Work job `s` would lose if preempted now, seconds at full power: the work done since its
  /// last checkpoint (all of it when it never checkpoints).
  double unsaved_work_s(Slot s) const;

  // --- State, constant between events ---
  int owned_gpus() const { return owned_gpus_; }
  int gpus_busy() const { return gpus_busy_; }
  int jobs_running() const { return jobs_running_; }
  /// Throws std::logic_error unless jobs are conserved (submitted = finished + running +
  /// queued + dropped) and the running and queued counts agree with the clusters and the queue.
  void check_invariants() const;
  int jobs_queued() const { return static_cast<int>(queue_.size()); }
  /// GPUs busy on jobs billed to `contract` (-1: jobs without a contract).
  int busy_for(int contract) const { return busy_by_contract_[contract + 1]; }
  /// Grid power of the busy GPUs of all owned clusters now, MW (capped: Σ min(P_full, B)).
  double busy_power_mw() const;
  /// Grid power of cluster `c` now, MW (see the class comment); never above its budget.
  double grid_power_mw(int c) const;
  /// Grid power of the owned clusters, MW.
  double grid_power_mw() const;
  /// Grid power with every owned GPU at load, MW.
  double max_grid_power_mw() const;
  /// Power fraction f of cluster `c`'s busy GPUs (1 uncapped or when none is busy).
  double power_fraction(int c) const { return fraction_[c]; }
  /// What cluster `c` would draw now if its budget allowed, MW: its running jobs plus the
  /// queued jobs that would fit in its free GPUs (taken in queue order; a queued job may be
  /// counted on several clusters) at full power, the other GPUs idle; at most the nameplate.
  double demand_mw(int c) const;
  /// GPU-hours of work lost to preemptions so far.
  double lost_gpu_hours() const { return lost_gpu_s_ / 3600.0; }
  std::uint64_t preemptions() const { return preemptions_; }
  /// Changes whenever a job is submitted, starts or stops (what contracts bill, what the
  /// clusters would run).
  std::uint64_t version() const { return version_; }

  /// The rows still held: row i is job id first_row_id() + i. Rows of jobs that are over
  /// (finished, cancelled, rejected) leave once stream_rows hands them to the output.
  const std::deque<JobRow>& rows() const { return rows_; }
  std::int64_t first_row_id() const { return first_row_id_; }
  /// Hands every `rows_per_chunk` leading rows that can no longer change (their jobs are
  /// over) to `sink` as a job table, so that the table does not grow in memory with the
  /// horizon: `start_unix_s` dates the times, `contract_names` names the contracts.
  void stream_rows(std::size_t rows_per_chunk, std::int64_t start_unix_s, std::vector<std::string> contract_names,
                   std::function<void(sim::output::Table)> sink);
  /// The rows still held, as an output table (group "jobs", dimension "job"); times are
  /// table times (sim::output::table_time of `start_unix_s`), NaT where a job never started
  /// or has not ended. Removes them.
  sim::output::Table take_job_table(std::int64_t start_unix_s, const std::vector<std::string>& contract_names);

 private:
  void request_pass();
  void finish(Slot s);
  void stop_running(Slot s);
  void preempt_quietly(Slot s);
  sim::SimTime checkpointed_s(Slot s, double worked_s) const;
  Slot claim();
  void release(Slot s);
  void enforce_budget(int c);
  void retune(int c);
  void schedule_end(Slot s);
  void notify(int c);

  std::vector<ClusterSpec> clusters_;
  std::unique_ptr<GpuScheduler> scheduler_;
  sim::Engine* engine_ = nullptr;
  std::vector<Job> jobs_;
  std::vector<Slot> free_slots_;
  std::set<QueueKey> queue_;
  std::vector<std::set<std::pair<sim::SimTime, Slot>>> running_;
  std::vector<int> busy_;
  std::vector<int> busy_by_contract_;
  JobRow& row(std::int64_t id) { return rows_[static_cast<std::size_t>(id - first_row_id_)]; }
  void flush_final_rows();
  sim::output::Table take_rows(std::size_t n);

  std::deque<JobRow> rows_;
  std::int64_t first_row_id_ = 0;  // job id of rows_.front()
  std::size_t final_rows_ = 0;     // leading rows of rows_ whose jobs are over
  std::size_t rows_per_chunk_ = 0;  // 0: keep every row (no stream_rows)
  std::int64_t table_start_unix_s_ = 0;
  std::vector<std::string> contract_names_;
  std::function<void(sim::output::Table)> row_sink_;
  std::vector<double> budget_mw_;  // per cluster
  std::vector<double> fraction_;   // per cluster: power fraction f of the busy GPUs
  std::vector<double> rate_;       // per cluster: relative throughput r(f)
  std::function<void(int)> demand_listener_;
  sim::Flow* lost_work_gpu_h_ = nullptr;
  double lost_gpu_s_ = 0.0;
  int owned_gpus_ = 0;
  int gpus_busy_ = 0;
  int jobs_running_ = 0;
  std::array<std::int64_t, 5> status_count_{};  // rows by JobStatus
  void set_status(JobRow& row, JobStatus status);
  std::uint64_t preemptions_ = 0;
  std::uint64_t version_ = 0;
  bool pass_pending_ = false;
};

}  // namespace hybridsim::models::ai
