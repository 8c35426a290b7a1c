#pragma once
/// Poisson job arrivals with distributions of GPU count and duration.
#include <string>
#include <vector>

#include "models/ai/job_arrival_model.hpp"

namespace hybridsim::models::ai {

/// How a job's duration (hours) is drawn: exponential with mean m, lognormal
/// (ln h ~ N(mu, sigma)), or fixed.
struct DurationLaw {
  enum class Kind { kExponential, kLognormal, kFixed } kind = Kind::kExponential;
  double a = 1.0;  ///< exponential/fixed: hours; lognormal: mu (of ln hours)
  double b = 0.0;  ///< lognormal: sigma
};

/// Jobs arrive as a Poisson process of rate λ = rate_per_day / 86400 s: inter-arrival times
/// are Exp(λ); arrival times are kept in real seconds and rounded to whole ones when submitted.
/// Each job asks for g GPUs, g drawn from `gpu_choices` with `gpu_weights` (uniform when
/// empty), and lasts h hours from `duration`, rounded to whole seconds (at least 1).
/// Draws per job, each from its own stream and always the same number whatever the laws:
/// one uniform for the inter-arrival (exponential by inversion), one for the GPU count
/// (inversion of the cumulative weights), two for the duration (exponential: −m ln U1;
/// lognormal: e^(μ+σZ) by Box–Muller; fixed: drawn and unused).
class PoissonJobs final : public JobArrivalModel {
 public:
  struct Options {
    double rate_per_day = 1.0;
    std::vector<int> gpu_choices{1};
    std::vector<double> gpu_weights;  ///< empty: uniform
    DurationLaw duration;
    std::string contract;             ///< "" for none
    sim::SimTime checkpoint_s = 3600;  ///< 0: never
    sim::SimTime restart_delay_s = 600;
  };
  explicit PoissonJobs(Options options);

  std::vector<std::string> labels() const override { return {options_.contract}; }
  int max_gpus() const override;
  std::optional<JobRequest> next(sim::SimTime now_s, JobDraws& draws) override;

 private:
  Options options_;
  std::vector<double> weights_;
  // Arrival times accumulate in real numbers so that rounding does not bias the rate.
  double clock_s_ = -1.0;
};

}  // namespace hybridsim::models::ai
