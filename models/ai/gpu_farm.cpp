#include "models/ai/gpu_farm.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace hybridsim::models::ai {

namespace {
// A budget is compared with sums of per-GPU powers: allow for rounding in those sums.
constexpr double kPowerSlackMw = 1e-9;
}  // namespace

GpuFarm::GpuFarm(std::vector<ClusterSpec> clusters, std::unique_ptr<GpuScheduler> scheduler, int contracts)
    : clusters_(std::move(clusters)),
      scheduler_(std::move(scheduler)),
      running_(clusters_.size()),
      busy_(clusters_.size(), 0),
      busy_by_contract_(static_cast<std::size_t>(contracts) + 1, 0),
      budget_mw_(clusters_.size(), std::numeric_limits<double>::infinity()),
      fraction_(clusters_.size(), 1.0),
      rate_(clusters_.size(), 1.0) {
  if (!scheduler_) throw std::logic_error("GpuFarm needs a scheduler");
  for (const auto& c : clusters_) {
    if (c.tenant) throw std::logic_error("GpuFarm schedules owned clusters only: " + c.name);
    owned_gpus_ += c.count;
  }
}

GpuFarm::Slot GpuFarm::claim() {
  if (!free_slots_.empty()) {
    const Slot s = free_slots_.back();
    free_slots_.pop_back();
    return s;
  }
  jobs_.emplace_back();
  return static_cast<Slot>(jobs_.size() - 1);
}

void GpuFarm::release(Slot s) {
  jobs_[s].live = false;
  free_slots_.push_back(s);
}

std::int64_t GpuFarm::submit(const JobRequest& r, int contract, int priority) {
  ++version_;  // the queue changed: what the cluster would run if powered
  if (!engine_) throw std::logic_error("GpuFarm::submit before attach");
  if (r.gpus < 1 || r.duration_s < 1) throw std::logic_error("job with no GPUs or no work");
  flush_final_rows();  // here, where no reference into rows_ is held
  const std::int64_t id = first_row_id_ + static_cast<std::int64_t>(rows_.size());
  JobRow& row = rows_.emplace_back();
  ++status_count_[static_cast<std::size_t>(JobStatus::kQueued)];
  row.submit_s = now();
  row.duration_s = r.duration_s;
  row.gpus = r.gpus;
  row.contract = contract;
  bool fits_somewhere = false;
  for (const auto& c : clusters_) fits_somewhere = fits_somewhere || c.allocation(r.gpus) <= c.count;
  if (!fits_somewhere) {
    // Nobody's demand moved: the job can never run here.
    set_status(row, JobStatus::kRejected);
    return id;
  }
  const Slot s = claim();
  Job& j = jobs_[s];
  j = Job{};
  j.id = id;
  j.gpus = r.gpus;
  j.contract = contract;
  j.priority = priority;
  j.duration_s = r.duration_s;
  j.checkpoint_s = r.checkpoint_s;
  j.restart_delay_s = r.restart_delay_s;
  j.live = true;
  j.done_s = 0.0;
  queue_.insert(QueueKey{scheduler_->rank(priority), id, s});
  request_pass();
  for (int c = 0; c < cluster_count(); ++c)
    if (clusters_[c].allocation(r.gpus) <= clusters_[c].count) notify(c);
  return id;
}

double GpuFarm::job_power_mw(Slot s, int c) const {
  const ClusterSpec& k = clusters_[c];
  return k.allocation(jobs_[s].gpus) * k.power_w * k.pue * 1e-6;
}

double GpuFarm::full_busy_power_mw(int c) const {
  // From the integer count, so no rounding drift builds up over millions of jobs.
  return busy_[c] * clusters_[c].power_w * clusters_[c].pue * 1e-6;
}

bool GpuFarm::fits_on(Slot s, int c) const {
  const ClusterSpec& k = clusters_[c];
  const int alloc = k.allocation(jobs_[s].gpus);
  return alloc <= free_gpus(c) && (busy_[c] + alloc) * k.power_w * k.pue * 1e-6 <= budget_mw_[c] + kPowerSlackMw;
}

double GpuFarm::work_done_s(Slot s) const {
  const Job& j = jobs_[s];
  if (!j.running) return static_cast<double>(j.saved_s);
  const sim::SimTime from = std::max(j.mark_s, j.segment_start_s + j.segment_delay_s);
  const double done = j.done_s + j.rate * static_cast<double>(std::max<sim::SimTime>(0, now() - from));
  return std::min(done, static_cast<double>(j.duration_s));
}

sim::SimTime GpuFarm::checkpointed_s(Slot s, double worked_s) const {
  const Job& j = jobs_[s];
  if (j.checkpoint_s <= 0) return 0;
  // Checkpoints are taken at whole multiples of c of work; the 1e-9 keeps a job capped at
  // an irrational rate that reached a checkpoint but for rounding from losing all of it.
  const double c = static_cast<double>(j.checkpoint_s);
  return std::max(j.saved_s, static_cast<sim::SimTime>(std::floor(worked_s / c + 1e-9)) * j.checkpoint_s);
}

double GpuFarm::unsaved_work_s(Slot s) const {
  const double worked = work_done_s(s);
  return std::max(0.0, worked - static_cast<double>(checkpointed_s(s, worked)));
}

void GpuFarm::schedule_end(Slot s) {
  Job& j = jobs_[s];
  const sim::SimTime from = std::max(j.mark_s, j.segment_start_s + j.segment_delay_s);
  const double left_s = static_cast<double>(j.duration_s) - j.done_s;
  sim::SimTime wall_s = 0;
  if (left_s > 0) {
    // At r = 1 the work left is a whole number of seconds and stays exact. Otherwise round
    // up (the job is done within that second); the 1e-6 s keeps a quotient that is whole
    // but for rounding (28800.0000000001) from adding a second.
    wall_s = j.rate == 1.0 ? static_cast<sim::SimTime>(std::ceil(left_s))
                           : static_cast<sim::SimTime>(std::ceil(left_s / j.rate - 1e-6));
  }
  j.end_s = from + std::max<sim::SimTime>(wall_s, 0);
  j.end_event = engine_->at(j.end_s, [this, s] { finish(s); }, sim::priority::kFacility);
  running_[j.cluster].emplace(j.end_s, s);
}

int GpuFarm::first_fit(Slot s) const {
  for (int c = 0; c < cluster_count(); ++c)
    if (fits_on(s, c)) return c;
  return -1;
}

void GpuFarm::start(Slot s, int c) {
  ++version_;
  Job& j = jobs_[s];
  if (!j.live || j.running || !fits_on(s, c)) throw std::logic_error("GpuFarm::start: job cannot start there");
  queue_.erase(QueueKey{scheduler_->rank(j.priority), j.id, s});
  j.running = true;
  j.cluster = c;
  j.alloc = clusters_[c].allocation(j.gpus);
  j.segment_start_s = now();
  j.segment_delay_s = j.restarted ? j.restart_delay_s : 0;
  j.mark_s = now();
  j.done_s = static_cast<double>(j.saved_s);
  j.rate = rate_[c];
  schedule_end(s);
  busy_[c] += j.alloc;
  gpus_busy_ += j.alloc;
  busy_by_contract_[j.contract + 1] += j.alloc;
  ++jobs_running_;
  JobRow& row = this->row(j.id);
  if (row.first_start_s < 0) row.first_start_s = now();
  set_status(row, JobStatus::kRunning);
  retune(c);  // a start fits the budget at full power, so this is a no-op unless the budget moved
}

void GpuFarm::stop_running(Slot s) {
  ++version_;
  Job& j = jobs_[s];
  const int c = j.cluster;
  running_[c].erase({j.end_s, s});
  busy_[c] -= j.alloc;
  gpus_busy_ -= j.alloc;
  busy_by_contract_[j.contract + 1] -= j.alloc;
  --jobs_running_;
  j.running = false;
  j.cluster = -1;
}

void GpuFarm::finish(Slot s) {
  Job& j = jobs_[s];
  const int c = j.cluster;
  stop_running(s);
  JobRow& row = this->row(j.id);
  row.end_s = now();
  set_status(row, JobStatus::kFinished);
  release(s);
  retune(c);  // a capped cluster's other jobs get the power it leaves
  request_pass();
  notify(c);
}

void GpuFarm::preempt(Slot s) {
  const int c = jobs_[s].cluster;
  preempt_quietly(s);
  retune(c);
}

void GpuFarm::preempt_quietly(Slot s) {
  Job& j = jobs_[s];
  if (!j.live || !j.running) throw std::logic_error("GpuFarm::preempt: job is not running");
  engine_->cancel(j.end_event);
  const double worked = work_done_s(s);
  const sim::SimTime saved = checkpointed_s(s, worked);
  const double lost_gpu_s = std::max(0.0, worked - static_cast<double>(saved)) * j.alloc;
  JobRow& row = this->row(j.id);
  row.lost_gpu_s += lost_gpu_s;
  lost_gpu_s_ += lost_gpu_s;
  if (lost_work_gpu_h_) lost_work_gpu_h_->add(lost_gpu_s / 3600.0);
  row.preemptions += 1;
  set_status(row, JobStatus::kQueued);
  stop_running(s);
  j.saved_s = saved;
  j.restarted = true;
  ++preemptions_;
  queue_.insert(QueueKey{scheduler_->rank(j.priority), j.id, s});
  request_pass();
}

void GpuFarm::cancel_contract(int contract) {
  std::vector<bool> touched(clusters_.size(), false);
  bool any_queued = false;
  for (Slot s = 0; s < jobs_.size(); ++s) {
    Job& j = jobs_[s];
    if (!j.live || j.contract != contract) continue;
    if (j.running) {
      touched[static_cast<std::size_t>(j.cluster)] = true;
      engine_->cancel(j.end_event);
      stop_running(s);
    } else {
      queue_.erase(QueueKey{scheduler_->rank(j.priority), j.id, s});
      any_queued = true;
    }
    JobRow& row = this->row(j.id);
    row.end_s = now();
    set_status(row, JobStatus::kCancelled);
    release(s);
  }
  for (int c = 0; c < cluster_count(); ++c)
    if (touched[c]) retune(c);
  request_pass();
  for (int c = 0; c < cluster_count(); ++c)
    if (touched[c] || any_queued) notify(c);
}

void GpuFarm::set_power_budget_mw(int c, double budget_mw) {
  budget_mw_[c] = std::max(0.0, budget_mw);
  enforce_budget(c);
  request_pass();
}

void GpuFarm::enforce_budget(int c) {
  const double floor = clusters_[c].power_floor_fraction;
  while (full_busy_power_mw(c) * floor > budget_mw_[c] + kPowerSlackMw) {
    // Victim: lowest priority, then the most recently started (it has the least at stake).
    Slot victim = 0;
    bool found = false;
    {
      const auto& running = running_[c];
      for (const auto& [end, s] : running) {
        const Job& j = jobs_[s];
        if (!found || j.priority < jobs_[victim].priority ||
            (j.priority == jobs_[victim].priority && j.segment_start_s > jobs_[victim].segment_start_s)) {
          victim = s;
          found = true;
        }
      }
    }
    if (!found) break;
    preempt_quietly(victim);
  }
  retune(c);
}

void GpuFarm::retune(int c) {
  const double full_mw = full_busy_power_mw(c);
  const double f = full_mw <= budget_mw_[c] + kPowerSlackMw ? 1.0 : budget_mw_[c] / full_mw;
  fraction_[c] = f;
  const double r = clusters_[c].throughput(f);
  if (r == rate_[c]) return;
  rate_[c] = r;
  // Bring each running job's work up to now at the old rate, then move its end.
  std::vector<Slot> slots;
  slots.reserve(running_[c].size());
  for (const auto& [end, s] : running_[c]) slots.push_back(s);
  running_[c].clear();
  for (const Slot s : slots) {
    Job& j = jobs_[s];
    j.done_s = work_done_s(s);
    j.mark_s = now();
    j.rate = r;
    engine_->cancel(j.end_event);
    schedule_end(s);
  }
}

double GpuFarm::busy_power_mw() const {
  double mw = 0.0;
  for (int c = 0; c < cluster_count(); ++c) mw += std::min(full_busy_power_mw(c), budget_mw_[c]);
  return mw;
}

double GpuFarm::grid_power_mw(int c) const {
  const ClusterSpec& k = clusters_[c];
  const double busy_mw = std::min(full_busy_power_mw(c), budget_mw_[c]);
  const double idle_mw = (k.count - busy_[c]) * k.idle_w * k.pue * 1e-6;
  // min(B, ·): idle GPUs switch off as far as the budget requires, and the result is never
  // above B even by a rounding error.
  return std::min(budget_mw_[c], busy_mw + idle_mw);
}

double GpuFarm::grid_power_mw() const {
  double mw = 0.0;
  for (int c = 0; c < cluster_count(); ++c) mw += grid_power_mw(c);
  return mw;
}

double GpuFarm::demand_mw(int c) const {
  const ClusterSpec& k = clusters_[c];
  int free = free_gpus(c);
  int wanted = busy_[c];
  for (auto it = queue_.begin(); it != queue_.end() && free > 0; ++it) {
    const int alloc = k.allocation(jobs_[it->slot].gpus);
    if (alloc > free) continue;
    free -= alloc;
    wanted += alloc;
  }
  const double mw = (wanted * k.power_w + (k.count - wanted) * k.idle_w) * k.pue * 1e-6;
  return std::min(mw, k.nameplate_mw());
}

void GpuFarm::notify(int c) {
  if (demand_listener_) demand_listener_(c);
}

double GpuFarm::max_grid_power_mw() const {
  double mw = 0.0;
  for (const auto& c : clusters_) mw += c.max_it_mw() * c.pue;
  return mw;
}

void GpuFarm::request_pass() {
  if (pass_pending_ || !engine_) return;
  pass_pending_ = true;
  engine_->at(
      now(),
      [this] {
        pass_pending_ = false;
        if (!queue_.empty()) scheduler_->schedule(*this);
      },
      sim::priority::kDecision);
}

void GpuFarm::stream_rows(std::size_t rows_per_chunk, std::int64_t start_unix_s,
                          std::vector<std::string> contract_names, std::function<void(sim::output::Table)> sink) {
  rows_per_chunk_ = rows_per_chunk;
  table_start_unix_s_ = start_unix_s;
  contract_names_ = std::move(contract_names);
  row_sink_ = std::move(sink);
}

void GpuFarm::flush_final_rows() {
  if (rows_per_chunk_ == 0) return;
  const auto over = [](JobStatus s) {
    return s == JobStatus::kFinished || s == JobStatus::kCancelled || s == JobStatus::kRejected;
  };
  while (final_rows_ < rows_.size() && over(rows_[final_rows_].status)) ++final_rows_;
  if (final_rows_ < rows_per_chunk_) return;
  row_sink_(take_rows(final_rows_));
}

sim::output::Table GpuFarm::take_job_table(std::int64_t start_unix_s, const std::vector<std::string>& contract_names) {
  table_start_unix_s_ = start_unix_s;
  contract_names_ = contract_names;
  return take_rows(rows_.size());
}

sim::output::Table GpuFarm::take_rows(std::size_t n) {
  using sim::output::kNoTime;
  const auto time = [this](sim::SimTime t_s) { return sim::output::table_time(table_start_unix_s_, t_s); };
  std::vector<std::int64_t> id(n), gpus(n), submit(n), start(n), end(n), preemptions(n);
  std::vector<double> wait(n), hours(n), lost(n);
  std::vector<std::string> contract(n), status(n);
  const double nan = std::nan("");
  for (std::size_t i = 0; i < n; ++i) {
    const JobRow& r = rows_[i];
    id[i] = first_row_id_ + static_cast<std::int64_t>(i);
    gpus[i] = r.gpus;
    submit[i] = time(r.submit_s);
    preemptions[i] = r.preemptions;
    start[i] = r.first_start_s >= 0 ? time(r.first_start_s) : kNoTime;
    end[i] = r.status == JobStatus::kFinished || r.status == JobStatus::kCancelled ? time(r.end_s) : kNoTime;
    wait[i] = r.first_start_s >= 0 ? static_cast<double>(r.first_start_s - r.submit_s) : nan;
    hours[i] = static_cast<double>(r.duration_s) / 3600.0;
    lost[i] = r.lost_gpu_s / 3600.0;
    contract[i] = r.contract >= 0 ? contract_names_.at(static_cast<std::size_t>(r.contract)) : "";
    status[i] = std::string(status_name(r.status));
  }
  rows_.erase(rows_.begin(), rows_.begin() + static_cast<std::ptrdiff_t>(n));
  first_row_id_ += static_cast<std::int64_t>(n);
  final_rows_ = final_rows_ > n ? final_rows_ - n : 0;
  using sim::output::Column;
  using sim::output::kTableTimeUnits;
  sim::output::Table t;
  t.group = "jobs";
  t.dimension = "job";
  t.long_name = "training jobs: one row per submitted job, in order of submission";
  t.columns.push_back(Column{{"job_id", "1", "job id (order of submission)", ""}, std::move(id)});
  t.columns.push_back(Column{{"contract", "", "contract billed (empty: none)", ""}, std::move(contract)});
  t.columns.push_back(Column{{"gpus", "1", "GPUs requested", ""}, std::move(gpus)});
  t.columns.push_back(Column{{"duration_hours", "h", "work requested, hours on all its GPUs", ""}, std::move(hours)});
  t.columns.push_back(Column{{"submit", kTableTimeUnits, "submission time", ""}, std::move(submit)});
  t.columns.push_back(Column{{"start", kTableTimeUnits, "first start (NaT: never started)", ""}, std::move(start)});
  t.columns.push_back(Column{{"end", kTableTimeUnits, "end: finished or cancelled (NaT: not ended)", ""}, std::move(end)});
  t.columns.push_back(Column{{"wait_s", "s", "first start minus submission (NaN: never started)", ""}, std::move(wait)});
  t.columns.push_back(Column{{"preemptions", "1", "times preempted", ""}, std::move(preemptions)});
  t.columns.push_back(Column{{"lost_gpu_hours", "h", "GPU-hours of work lost to preemptions", ""}, std::move(lost)});
  t.columns.push_back(Column{{"status", "", "finished, running, queued, cancelled or rejected", ""}, std::move(status)});
  t.set_coordinates("submit start end");
  return t;
}

}  // namespace hybridsim::models::ai

namespace hybridsim::models::ai {

void GpuFarm::set_status(JobRow& row, JobStatus status) {
  --status_count_[static_cast<std::size_t>(row.status)];
  ++status_count_[static_cast<std::size_t>(status)];
  row.status = status;
}

void GpuFarm::check_invariants() const {
  const auto count = [this](JobStatus s) { return status_count_[static_cast<std::size_t>(s)]; };
  const auto fail = [](const std::string& what) { throw std::logic_error("GPU farm invariant broken: " + what); };
  // Jobs are conserved: every submitted job is finished, running, queued or dropped.
  const std::int64_t submitted = first_row_id_ + static_cast<std::int64_t>(rows_.size());
  const std::int64_t accounted = count(JobStatus::kFinished) + count(JobStatus::kRunning) + count(JobStatus::kQueued) +
                                 count(JobStatus::kCancelled) + count(JobStatus::kRejected);
  if (accounted != submitted)
    fail(std::to_string(submitted) + " jobs submitted but " + std::to_string(accounted) +
         " finished, running, queued or dropped");
  std::size_t on_clusters = 0;
  for (const auto& r : running_) on_clusters += r.size();
  if (count(JobStatus::kRunning) != jobs_running_ || on_clusters != static_cast<std::size_t>(jobs_running_))
    fail(std::to_string(count(JobStatus::kRunning)) + " jobs marked running, " + std::to_string(jobs_running_) +
         " counted, " + std::to_string(on_clusters) + " on the clusters");
  if (count(JobStatus::kQueued) != static_cast<std::int64_t>(queue_.size()))
    fail(std::to_string(count(JobStatus::kQueued)) + " jobs marked queued but " + std::to_string(queue_.size()) +
         " in the queue");
}

}  // namespace hybridsim::models::ai
