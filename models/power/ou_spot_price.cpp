#include "models/power/ou_spot_price.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/core/portable_random.hpp"

namespace hybridsim::models::power {

using sim::exponential_by_inversion;
using sim::standard_normal;
using sim::uniform_open01;

OuSpotPrice::OuSpotPrice(const Params& params) : params_(params), x_(params.initial_usd_per_mwh) {
  const auto bad = [](const char* msg) { throw std::invalid_argument(msg); };
  if (!(params_.reversion_per_day > 0)) bad("reversion_per_day: must be > 0; a stationary level needs reversion");
  if (!(params_.stationary_sd_usd_per_mwh >= 0)) bad("stationary_sd_usd_per_mwh: must be >= 0");
  if (params_.step_s <= 0) bad("step: must be > 0");
  if (!(params_.spike_rate_per_year >= 0)) bad("spike.rate_per_year: must be >= 0");
  if (params_.spike_duration_s <= 0) bad("spike.duration: must be > 0");
  if (!(params_.spike_mean_usd_per_mwh >= 0)) bad("spike.mean_usd_per_mwh: must be >= 0");
  if (!(params_.floor_usd_per_mwh < params_.cap_usd_per_mwh))
    bad("floor_usd_per_mwh: must be below cap_usd_per_mwh; accepted: floor < cap");
}

sim::PowerPriceModel::Step OuSpotPrice::step(sim::SimTime now_s, sim::Rng& rng) {
  // Always the same draws in the same order (see the class comment).
  const double z = standard_normal(rng);
  const double u_spike = uniform_open01(rng);
  const double u_size = uniform_open01(rng);

  if (started_) {
    const double dt_days = static_cast<double>(now_s - last_now_s_) / static_cast<double>(sim::kSecondsPerDay);
    const double decay = std::exp(-params_.reversion_per_day * dt_days);
    // √(1 − e^{−2κΔ}) via expm1 keeps short steps accurate.
    const double noise_sd = params_.stationary_sd_usd_per_mwh * std::sqrt(-std::expm1(-2.0 * params_.reversion_per_day * dt_days));
    x_ = params_.mean_usd_per_mwh + (x_ - params_.mean_usd_per_mwh) * decay + noise_sd * z;
  }
  started_ = true;
  last_now_s_ = now_s;

  if (now_s >= spike_end_s_) {
    const double step_years = static_cast<double>(params_.step_s) / static_cast<double>(sim::kSecondsPerYear);
    const double p_start = -std::expm1(-params_.spike_rate_per_year * step_years);
    if (u_spike < p_start) {
      spike_size_usd_per_mwh_ = exponential_by_inversion(u_size, params_.spike_mean_usd_per_mwh);
      spike_end_s_ = now_s + params_.spike_duration_s;
    }
  }
  const bool spiking = now_s < spike_end_s_;
  const sim::SimTime until = spiking ? std::min(now_s + params_.step_s, spike_end_s_) : now_s + params_.step_s;
  const double raw = x_ + (spiking ? spike_size_usd_per_mwh_ : 0.0);
  return {std::clamp(raw, params_.floor_usd_per_mwh, params_.cap_usd_per_mwh), until};
}

}  // namespace hybridsim::models::power
