#pragma once
/// JobArrivalModel: where training jobs come from (a stochastic process or a trace).
#include <optional>
#include <string>
#include <vector>

#include "models/ai/job.hpp"
#include "sim/core/rng_streams.hpp"

namespace hybridsim::models::ai {

/// The random streams of one job stream, one per purpose, so that a change to one purpose's
/// law (sizes, durations) never moves another's draws: `jobs.<stream>.arrivals`,
/// `jobs.<stream>.gpus`, `jobs.<stream>.hours`.
struct JobDraws {
  sim::Rng arrivals;
  sim::Rng gpus;
  sim::Rng hours;
};

class JobArrivalModel {
 public:
  virtual ~JobArrivalModel() = default;
  /// Contract names its jobs are billed to; JobRequest::label indexes this list. "" means
  /// no contract (internal work, no revenue).
  virtual std::vector<std::string> labels() const = 0;
  /// The most GPUs one of its jobs may request (for validation against the clusters); 0 when
  /// unknown in advance.
  virtual int max_gpus() const = 0;
  /// The next job, submitted at or after `now_s`; empty when no more jobs come. Draws only
  /// from `draws`, a fixed number of engine outputs per job from each stream.
  virtual std::optional<JobRequest> next(sim::SimTime now_s, JobDraws& draws) = 0;
};

}  // namespace hybridsim::models::ai
