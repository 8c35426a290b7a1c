#include "models/bitcoin/gbm_price.hpp"

#include <cmath>
#include <stdexcept>
#include "sim/core/portable_random.hpp"

namespace hybridsim::models::bitcoin {

GbmPrice::GbmPrice(double initial_usd, double drift_per_year, double vol_per_year)
    : initial_usd_(initial_usd), drift_per_year_(drift_per_year), vol_per_year_(vol_per_year) {
  if (!(initial_usd > 0)) throw std::invalid_argument("gbm price: initial_usd must be > 0");
  if (!(vol_per_year >= 0)) throw std::invalid_argument("gbm price: vol_per_year must be >= 0");
  if (!std::isfinite(drift_per_year)) throw std::invalid_argument("gbm price: drift_per_year must be finite");
}

double GbmPrice::next_usd(double price_usd, const PriceStep& step, sim::Rng& rng) {
  const double dt_years = static_cast<double>(step.dt_s) / static_cast<double>(sim::kSecondsPerYear);
  const double z = sim::standard_normal(rng);
  const double s = vol_per_year_;
  return price_usd * std::exp((drift_per_year_ - 0.5 * s * s) * dt_years + s * std::sqrt(dt_years) * z);
}

}  // namespace hybridsim::models::bitcoin
