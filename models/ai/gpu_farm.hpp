#pragma once
/// GpuFarm: the facility's own GPU clusters, the job queue and the running jobs.
///
/// GPUs are counted per cluster (a job runs inside one cluster; node placement is not
/// modelled beyond rounding a multi-node job up to whole nodes). A job holds its GPUs from
/// start to end. Its work advances only while it runs, after any restart delay:
///
///   progress(t) = clamp(t − t_start − d_restart, 0, D − W_saved)
///   W_saved'    = ⌊(W_saved + progress) / c⌋ · c      (c: checkpoint interval; 0 when c = 0)
///
/// so a preemption loses (W_saved + progress − W_saved') seconds of work on all its GPUs
/// and the job queues again (at its original place) for D − W_saved' more seconds, paying
/// d_restart on its next start.
///
/// Power (grid, MW) of the owned clusters, with busy GPUs at power_w and idle ones at idle_w:
///
///   P_busy = Σ_c busy_c · power_w_c · PUE_c,   P_idle = Σ_c (count_c − busy_c) · idle_w_c · PUE_c
///   P      = P_busy + min(P_idle, B − P_busy)  under a budget B (idle GPUs are switched off
///                                               as far as the budget requires)
///
/// A job starts only if P_busy stays within B; lowering B below P_busy preempts running jobs
/// (lowest contract priority first, then the most recently started) until it fits.
///
/// Events: the end of each running job (cancelled on preemption) and one scheduling pass per
/// instant at which anything changed (priority kDecision, after every arrival and end at that
/// instant), in which the GpuScheduler starts jobs.
#include <cstdint>
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
  /// Sets the grid-power budget of the owned clusters, MW (infinity: none); preempts jobs
  /// when the busy GPUs draw more.
  void set_power_budget_mw(double budget_mw);
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
  /// Grid power the busy GPUs would draw if job `s` ran on cluster `c`, MW.
  double job_power_mw(Slot s, int c) const;
  double power_budget_mw() const { return budget_mw_; }

  // --- State, constant between events ---
  int owned_gpus() const { return owned_gpus_; }
  int gpus_busy() const { return gpus_busy_; }
  int jobs_running() const { return jobs_running_; }
  int jobs_queued() const { return static_cast<int>(queue_.size()); }
  /// GPUs busy on jobs billed to `contract` (-1: jobs without a contract).
  int busy_for(int contract) const { return busy_by_contract_[contract + 1]; }
  /// Grid power of the busy GPUs, MW.
  double busy_power_mw() const { return busy_power_mw_; }
  /// Grid power of the owned clusters, MW (see the class comment).
  double grid_power_mw() const;
  /// Grid power with every owned GPU at load, MW.
  double max_grid_power_mw() const;
  std::uint64_t preemptions() const { return preemptions_; }

  /// The job table so far (row i is job id i).
  const std::vector<JobRow>& rows() const { return rows_; }
  /// The job table as an output table (group "jobs", dimension "job"); times in
  /// `time_units` ("seconds since ..."), NaN where a job never started or has not ended.
  sim::output::Table job_table(const std::string& time_units, const std::vector<std::string>& contract_names) const;

 private:
  void request_pass();
  void finish(Slot s);
  void stop_running(Slot s);
  Slot claim();
  void release(Slot s);
  void enforce_budget();

  std::vector<ClusterSpec> clusters_;
  std::unique_ptr<GpuScheduler> scheduler_;
  sim::Engine* engine_ = nullptr;
  std::vector<Job> jobs_;
  std::vector<Slot> free_slots_;
  std::set<QueueKey> queue_;
  std::vector<std::set<std::pair<sim::SimTime, Slot>>> running_;
  std::vector<int> busy_;
  std::vector<int> busy_by_contract_;
  std::vector<JobRow> rows_;
  double busy_power_mw_ = 0.0;
  double budget_mw_ = std::numeric_limits<double>::infinity();
  int owned_gpus_ = 0;
  int gpus_busy_ = 0;
  int jobs_running_ = 0;
  std::uint64_t preemptions_ = 0;
  bool pass_pending_ = false;
};

}  // namespace hybridsim::models::ai
