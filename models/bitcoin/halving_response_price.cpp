#include "models/bitcoin/halving_response_price.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include "sim/core/portable_random.hpp"

namespace hybridsim::models::bitcoin {

HalvingResponsePrice::HalvingResponsePrice(const Params& params) : p_(params) {
  if (!(p_.initial_usd > 0)) throw std::invalid_argument("halving_response price: initial_usd must be > 0");
  if (!(p_.vol_per_year >= 0)) throw std::invalid_argument("halving_response price: vol_per_year must be >= 0");
  if (p_.halving_window_s < 0) throw std::invalid_argument("halving_response price: halving_window must be >= 0");
}

double HalvingResponsePrice::log_return_mean(const PriceStep& step, std::int64_t halvings_before) const {
  const double year = static_cast<double>(sim::kSecondsPerYear);
  const double dt = static_cast<double>(step.dt_s) / year;
  const double s = p_.vol_per_year;
  double mean = (p_.drift_per_year - 0.5 * s * s) * dt;
  if (step.halvings_seen > 0 && step.last_halving_s != std::numeric_limits<sim::SimTime>::lowest()) {
    const sim::SimTime open = std::max(step.now_s, step.last_halving_s);
    const sim::SimTime close = std::min(step.now_s + step.dt_s, step.last_halving_s + p_.halving_window_s);
    if (close > open) mean += p_.halving_drift_change_per_year * static_cast<double>(close - open) / year;
  }
  const std::int64_t new_halvings = std::max<std::int64_t>(0, step.halvings_seen - halvings_before);
  return mean + p_.halving_log_jump * static_cast<double>(new_halvings);
}

double HalvingResponsePrice::next_usd(double price_usd, const PriceStep& step, sim::Rng& rng) {
  const double dt = static_cast<double>(step.dt_s) / static_cast<double>(sim::kSecondsPerYear);
  const double mean = log_return_mean(step, halvings_seen_);
  halvings_seen_ = std::max(halvings_seen_, step.halvings_seen);
  return price_usd * std::exp(mean + p_.vol_per_year * std::sqrt(dt) * sim::standard_normal(rng));
}

}  // namespace hybridsim::models::bitcoin
