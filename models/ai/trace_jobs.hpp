#pragma once
/// Jobs replayed from a CSV trace.
#include <memory>
#include <string>
#include <vector>

#include "models/ai/job_arrival_model.hpp"

namespace hybridsim::models::ai {

/// A parsed trace: jobs in order of submission, and the contract names they use.
struct JobTrace {
  std::vector<JobRequest> jobs;
  std::vector<std::string> labels;
};

/// Reads a job trace CSV. The header names the columns, in any order:
///   submit         UTC time (YYYY-MM-DD[THH:MM[:SS]][Z]), or `submit_hours`: hours after the epoch
///   gpus           integer >= 1
///   hours          duration, hours > 0 (rounded to whole seconds, at least 1)
///   contract       optional: the contract billed ("" or absent: none)
/// Rows must be in order of submission, at or after the epoch. Throws
/// sim::config::ScenarioError at `path:line:column` for anything else.
JobTrace read_job_trace(const std::string& path, std::int64_t epoch_unix_s, sim::SimTime checkpoint_s,
                        sim::SimTime restart_delay_s);

/// Submits the trace's jobs at their times; draws nothing.
class TraceJobs final : public JobArrivalModel {
 public:
  explicit TraceJobs(std::shared_ptr<const JobTrace> trace) : trace_(std::move(trace)) {}
  std::vector<std::string> labels() const override { return trace_->labels; }
  int max_gpus() const override;
  std::optional<JobRequest> next(sim::SimTime now_s, JobDraws& draws) override;

 private:
  std::shared_ptr<const JobTrace> trace_;
  std::size_t next_ = 0;
};

}  // namespace hybridsim::models::ai
