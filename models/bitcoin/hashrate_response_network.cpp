#include "models/bitcoin/hashrate_response_network.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace hybridsim::models::bitcoin {
namespace {

constexpr double kZ90 = 1.2815515655446004;  // standard normal 90% quantile

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

double years(sim::SimTime s) { return static_cast<double>(s) / static_cast<double>(sim::kSecondsPerYear); }

}  // namespace

HashrateResponseNetwork::HashrateResponseNetwork(const Params& params) : p_(params) {
  if (!(p_.p10_j_per_th > 0 && p_.p10_j_per_th < p_.p50_j_per_th && p_.p50_j_per_th < p_.p90_j_per_th))
    throw std::invalid_argument("hashrate_response: need 0 < p10 < p50 < p90");
  if (p_.initial_ths && !(*p_.initial_ths > 0)) throw std::invalid_argument("hashrate_response: initial_ths must be > 0");
  if (!(p_.pue >= 1)) throw std::invalid_argument("hashrate_response: pue must be >= 1");
  if (!(p_.power_price_usd_per_mwh >= 0)) throw std::invalid_argument("hashrate_response: power price must be >= 0");
  if (p_.adjustment_time_s <= 0 || p_.investment_lag_s <= 0)
    throw std::invalid_argument("hashrate_response: adjustment_time and investment_lag must be > 0");
  if (!(p_.investment_elasticity >= 0)) throw std::invalid_argument("hashrate_response: elasticity must be >= 0");
  if (!(p_.new_machine_j_per_th > 0)) throw std::invalid_argument("hashrate_response: new machine efficiency must be > 0");
  if (!(p_.new_machine_spread > 0)) throw std::invalid_argument("hashrate_response: new machine spread must be > 0");
  if (p_.reference_hashprice_usd_per_th_day && !(*p_.reference_hashprice_usd_per_th_day > 0))
    throw std::invalid_argument("hashrate_response: reference hashprice must be > 0");
  s_lo_ = std::log(p_.p50_j_per_th / p_.p10_j_per_th) / kZ90;
  s_hi_ = std::log(p_.p90_j_per_th / p_.p50_j_per_th) / kZ90;
}

double HashrateResponseNetwork::initial_ths(double implied_ths) { return p_.initial_ths ? *p_.initial_ths : implied_ths; }

double HashrateResponseNetwork::breakeven_j_per_th(double hashprice) const {
  const double usd_per_th_day_per_j_per_th = 24e-6 * p_.power_price_usd_per_mwh * p_.pue;
  if (usd_per_th_day_per_j_per_th <= 0) return HUGE_VAL;
  return std::max(0.0, hashprice) / usd_per_th_day_per_j_per_th;
}

double HashrateResponseNetwork::legacy_share_at_most(double j_per_th) const {
  if (!(j_per_th > 0)) return 0.0;
  if (std::isinf(j_per_th)) return 1.0;
  const double x = std::log(j_per_th / p_.p50_j_per_th);
  return normal_cdf(x / (x <= 0 ? s_lo_ : s_hi_));
}

double HashrateResponseNetwork::new_machine_j_per_th(sim::SimTime t_s) const {
  return p_.new_machine_j_per_th * std::exp(-p_.efficiency_improvement_per_year * years(t_s));
}

double HashrateResponseNetwork::profitable_ths(double hashprice) const {
  const double e = breakeven_j_per_th(hashprice);
  double ths = legacy_ths_ * legacy_share_at_most(e);
  for (const Cohort& c : cohorts_)
    ths += !(e > 0) ? 0.0 : std::isinf(e) ? c.ths : c.ths * normal_cdf(std::log(e / c.j_per_th) / p_.new_machine_spread);
  return ths;
}

double HashrateResponseNetwork::installed_ths() const {
  double ths = legacy_ths_;
  for (const Cohort& c : cohorts_) ths += c.ths;
  return ths;
}

double HashrateResponseNetwork::next_ths(double hashrate_ths, const NetworkStep& step, sim::Rng&) {
  const double hashprice = step.hashprice_usd_per_th_day;
  if (!started_) {
    started_ = true;
    // A floor keeps a start deep in unprofitability from implying an absurd idle fleet.
    legacy_ths_ = hashrate_ths / std::max(legacy_share_at_most(breakeven_j_per_th(hashprice)), 1e-3);
    reference_hashprice_ = p_.reference_hashprice_usd_per_th_day.value_or(hashprice);
    trailing_ratio_ = reference_hashprice_ > 0 ? hashprice / reference_hashprice_ : 1.0;
  }
  const double ratio = reference_hashprice_ > 0 ? hashprice / reference_hashprice_ : 1.0;
  trailing_ratio_ += (ratio - trailing_ratio_) * -std::expm1(-static_cast<double>(step.dt_s) / static_cast<double>(p_.investment_lag_s));
  const double growth = p_.growth_per_year * std::pow(std::max(trailing_ratio_, 0.0), p_.investment_elasticity);
  const double factor = std::exp(growth * years(step.dt_s));
  if (factor >= 1) {
    const double added_ths = installed_ths() * (factor - 1);
    const std::int64_t month = step.now_s / (30 * sim::kSecondsPerDay);
    if (cohorts_.empty() || cohorts_.back().month != month)
      cohorts_.push_back({month, new_machine_j_per_th(step.now_s), 0.0});
    cohorts_.back().ths += added_ths;
  } else {
    // A shrinking fleet (g < 0) retires machines of every vintage alike.
    legacy_ths_ *= factor;
    for (Cohort& c : cohorts_) c.ths *= factor;
  }
  const double target = profitable_ths(hashprice);
  const double keep = std::exp(-static_cast<double>(step.dt_s) / static_cast<double>(p_.adjustment_time_s));
  return target + (hashrate_ths - target) * keep;
}

}  // namespace hybridsim::models::bitcoin
