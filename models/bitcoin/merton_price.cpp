#include "models/bitcoin/merton_price.hpp"

#include <cmath>
#include <stdexcept>
#include "sim/core/portable_random.hpp"

namespace hybridsim::models::bitcoin {

MertonPrice::MertonPrice(const Params& params) : p_(params) {
  if (!(p_.initial_usd > 0)) throw std::invalid_argument("merton price: initial_usd must be > 0");
  if (!(p_.vol_per_year >= 0)) throw std::invalid_argument("merton price: vol_per_year must be >= 0");
  if (!(p_.jumps_per_year >= 0)) throw std::invalid_argument("merton price: jumps_per_year must be >= 0");
  if (!(p_.jump_vol >= 0)) throw std::invalid_argument("merton price: jump_vol must be >= 0");
  if (!std::isfinite(p_.drift_per_year) || !std::isfinite(p_.jump_mean))
    throw std::invalid_argument("merton price: drift_per_year and jump_mean must be finite");
}

double MertonPrice::mean_jump_relative() const { return std::expm1(p_.jump_mean + 0.5 * p_.jump_vol * p_.jump_vol); }

double MertonPrice::log_return_mean(double dt) const {
  const double c = p_.compensate_drift ? 1.0 : 0.0;
  const double s = p_.vol_per_year;
  return (p_.drift_per_year - 0.5 * s * s - c * p_.jumps_per_year * mean_jump_relative() +
          p_.jumps_per_year * p_.jump_mean) * dt;
}

double MertonPrice::log_return_variance(double dt) const {
  const double s = p_.vol_per_year;
  return (s * s + p_.jumps_per_year * (p_.jump_mean * p_.jump_mean + p_.jump_vol * p_.jump_vol)) * dt;
}

double MertonPrice::next_usd(double price_usd, const PriceStep& step, sim::Rng& rng) {
  const double dt = static_cast<double>(step.dt_s) / static_cast<double>(sim::kSecondsPerYear);
  // Always five engine outputs per step, in this order, whatever the parameters.
  const double z = sim::standard_normal(rng);
  const double lambda_dt = p_.jumps_per_year * dt;
  const long n = sim::poisson(rng, lambda_dt);
  const double z_jump = sim::standard_normal(rng);
  const double c = p_.compensate_drift ? 1.0 : 0.0;
  const double s = p_.vol_per_year;
  const double nd = static_cast<double>(n);
  const double log_return = (p_.drift_per_year - 0.5 * s * s - c * p_.jumps_per_year * mean_jump_relative()) * dt +
                            s * std::sqrt(dt) * z + nd * p_.jump_mean + std::sqrt(nd) * p_.jump_vol * z_jump;
  return price_usd * std::exp(log_return);
}

}  // namespace hybridsim::models::bitcoin
