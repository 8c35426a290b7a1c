#include "models/ai/poisson_jobs.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include "sim/core/portable_random.hpp"

namespace hybridsim::models::ai {

PoissonJobs::PoissonJobs(Options o) : options_(std::move(o)) {
  if (!(options_.rate_per_day > 0)) throw std::invalid_argument("poisson jobs: rate_per_day must be > 0");
  if (options_.gpu_choices.empty()) throw std::invalid_argument("poisson jobs: no GPU choices");
  for (int g : options_.gpu_choices)
    if (g < 1) throw std::invalid_argument("poisson jobs: a GPU choice is below 1");
  std::vector<double> w = options_.gpu_weights;
  if (w.empty()) w.assign(options_.gpu_choices.size(), 1.0);
  if (w.size() != options_.gpu_choices.size())
    throw std::invalid_argument("poisson jobs: gpu weights and choices differ in length");
  double total = 0.0;
  for (double x : w) {
    if (!(x >= 0)) throw std::invalid_argument("poisson jobs: a GPU weight is negative");
    total += x;
  }
  if (!(total > 0)) throw std::invalid_argument("poisson jobs: the GPU weights sum to 0");
  weights_ = std::move(w);
}

int PoissonJobs::max_gpus() const {
  return *std::max_element(options_.gpu_choices.begin(), options_.gpu_choices.end());
}

std::optional<JobRequest> PoissonJobs::next(sim::SimTime now_s, JobDraws& draws) {
  if (clock_s_ < 0.0) clock_s_ = static_cast<double>(now_s);  // the first call starts the process
  const double u_gap = sim::uniform_open01(draws.arrivals);
  const std::size_t pick = sim::pick_weighted(draws.gpus, weights_);
  const double u_hours = sim::uniform_open01(draws.hours);
  const double z_hours = sim::standard_normal(draws.hours);
  clock_s_ += sim::exponential_by_inversion(u_gap, 86400.0 / options_.rate_per_day);
  // Past 10^12 s (~31,700 years, beyond any horizon) there are no more arrivals; this also
  // keeps the rounding below well inside int64 for vanishing rates.
  if (clock_s_ > 1e12) return std::nullopt;
  JobRequest r;
  r.submit_s = std::max(now_s, static_cast<sim::SimTime>(std::llround(clock_s_)));
  r.gpus = options_.gpu_choices[pick];
  double hours = options_.duration.a;
  switch (options_.duration.kind) {
    case DurationLaw::Kind::kExponential:
      hours = sim::exponential_by_inversion(u_hours, options_.duration.a);
      break;
    case DurationLaw::Kind::kLognormal:
      hours = std::exp(options_.duration.a + options_.duration.b * z_hours);
      break;
    case DurationLaw::Kind::kFixed:
      break;
  }
  // A job longer than a million hours (114 years) outlasts any run; capping keeps llround defined.
  r.duration_s = std::max<sim::SimTime>(1, std::llround(std::min(hours, 1e6) * 3600.0));
  r.checkpoint_s = options_.checkpoint_s;
  r.restart_delay_s = options_.restart_delay_s;
  r.label = 0;
  return r;
}

}  // namespace hybridsim::models::ai
