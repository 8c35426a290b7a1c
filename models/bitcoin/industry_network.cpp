#include "models/bitcoin/industry_network.hpp"

#include "models/bitcoin/consensus.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <stdexcept>

namespace hybridsim::models::bitcoin {
namespace {

constexpr double kZ90 = 1.2815515655446004;  // standard normal 90% quantile
constexpr int kLegacyVintages = 16;
constexpr sim::SimTime kPeriodS = 30 * sim::kSecondsPerDay;

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// Φ⁻¹(q) by bisection: slow but only used for the 16 legacy quantiles at the start.
double normal_quantile(double q) {
  double lo = -10, hi = 10;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (normal_cdf(mid) < q ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

double years(sim::SimTime s) { return static_cast<double>(s) / static_cast<double>(sim::kSecondsPerYear); }

void require(bool ok, const char* what) {
  if (!ok) throw std::invalid_argument(std::string("industry: ") + what);
}

}  // namespace

IndustryNetwork::IndustryNetwork(const Params& params) : p_(params) {
  require(p_.p10_j_per_th > 0 && p_.p10_j_per_th < p_.p50_j_per_th && p_.p50_j_per_th < p_.p90_j_per_th,
          "need 0 < p10 < p50 < p90");
  require(!p_.initial_ths || *p_.initial_ths > 0, "initial_ths must be > 0");
  require(p_.frontier_floor_j_per_th > 0 && p_.frontier_floor_j_per_th < p_.frontier_j_per_th,
          "need 0 < frontier_floor_j_per_th < frontier_j_per_th");
  require(p_.machine_price_usd_per_th > 0, "machine price must be > 0");
  require(p_.power_price_usd_per_mwh > 0 && p_.power_price_spread > 0, "power price and its spread must be > 0");
  require(p_.pue >= 1, "pue must be >= 1");
  require(p_.pool_fee >= 0 && p_.pool_fee < 1, "pool fee must be in [0, 1)");
  require(p_.switch_time_s > 0 && p_.delivery_lag_s > 0 && p_.profitability_memory_s > 0, "times must be > 0");
  require(p_.frontier_improvement_per_year >= 0 && p_.investment_response >= 0 && p_.max_growth_per_year > 0 && p_.wear_retirement_per_year >= 0 &&
              p_.idle_retirement_per_year >= 0 && p_.hurdle_return_per_year >= 0,
          "rates must be >= 0 (max growth > 0)");
  require(p_.retarget_foresight >= 0 && p_.retarget_foresight <= 1, "retarget foresight must be in [0, 1]");
  require(p_.next_difficulty_memory_s > 0, "times must be > 0");
  s_lo_ = std::log(p_.p50_j_per_th / p_.p10_j_per_th) / kZ90;
  s_hi_ = std::log(p_.p90_j_per_th / p_.p50_j_per_th) / kZ90;
}

double IndustryNetwork::initial_ths(double implied_ths) { return p_.initial_ths ? *p_.initial_ths : implied_ths; }

double IndustryNetwork::power_cost_usd_per_th_day(double j_per_th) const {
  return j_per_th * p_.power_price_usd_per_mwh * p_.pue * 24e-6;
}

double IndustryNetwork::running_share(double j_per_th, double hashprice) const {
  const double net = hashprice * (1.0 - p_.pool_fee);
  if (!(net > 0)) return 0.0;
  return normal_cdf(std::log(net / power_cost_usd_per_th_day(j_per_th)) / p_.power_price_spread);
}

double IndustryNetwork::frontier_j_per_th(sim::SimTime t_s) const {
  return p_.frontier_floor_j_per_th +
         (p_.frontier_j_per_th - p_.frontier_floor_j_per_th) * std::exp(-p_.frontier_improvement_per_year * years(t_s));
}

double IndustryNetwork::machine_price_usd_per_th(sim::SimTime t_s) const {
  return p_.machine_price_usd_per_th * frontier_j_per_th(t_s) / p_.frontier_j_per_th;
}

double IndustryNetwork::new_machine_return_per_year(double hashprice, sim::SimTime t_s) const {
  const double margin = hashprice * (1.0 - p_.pool_fee) - power_cost_usd_per_th_day(frontier_j_per_th(t_s));
  return 365.0 * margin / machine_price_usd_per_th(t_s);
}

double IndustryNetwork::order_growth_per_year(double trailing_return) const {
  const double excess = std::max(0.0, trailing_return - p_.hurdle_return_per_year);
  return p_.max_growth_per_year * -std::expm1(-p_.investment_response * excess / p_.max_growth_per_year);
}

double IndustryNetwork::profitable_ths(double hashprice) const {
  double ths = 0.0;
  for (const Vintage& v : vintages_) ths += v.ths * std::min(running_share(v.j_per_th, hashprice), v.installed_quantile);
  return ths;
}

double IndustryNetwork::installed_ths() const {
  double ths = 0.0;
  for (const Vintage& v : vintages_) ths += v.ths * v.installed_quantile;
  return ths;
}

double IndustryNetwork::on_order_ths() const {
  double ths = 0.0;
  for (const Order& o : pipeline_) ths += o.ths;
  return ths;
}

double IndustryNetwork::anticipated_hashprice(double hashprice, double difficulty) const {
  if (!(trailing_ths_ > 0) || !(difficulty > 0) || p_.retarget_foresight == 0) return hashprice;
  // D̂ = H̄ · 600 · 10¹² / 2³².
  const double estimated_difficulty = trailing_ths_ * 1e12 * 600.0 / kHashesPerDifficulty;
  return hashprice * std::pow(difficulty / estimated_difficulty, p_.retarget_foresight);
}

void IndustryNetwork::start(double hashrate_ths, const NetworkStep& step) {
  started_ = true;
  trailing_ths_ = hashrate_ths;
  double share = 0.0;
  for (int j = 0; j < kLegacyVintages; ++j) {
    const double z = normal_quantile((j + 0.5) / kLegacyVintages);
    const double e = p_.p50_j_per_th * std::exp(z * (z < 0 ? s_lo_ : s_hi_));
    vintages_.push_back({std::numeric_limits<std::int64_t>::min(), e, 1.0, 1.0});
    share += running_share(e, step.hashprice_usd_per_th_day) / kLegacyVintages;
  }
  // A floor keeps a start deep in unprofitability from implying an absurd idle fleet.
  const double legacy_ths = hashrate_ths / std::max(share, 1e-3);
  for (Vintage& v : vintages_) v.ths = legacy_ths / kLegacyVintages;
  trailing_return_ = new_machine_return_per_year(step.hashprice_usd_per_th_day, step.now_s);
  // Orders placed over the last lag at the start's rate, arriving evenly from now on.
  const double rate_ths_per_s =
      legacy_ths * order_growth_per_year(trailing_return_) / static_cast<double>(sim::kSecondsPerYear);
  const sim::SimTime slice_s = std::min<sim::SimTime>(sim::kSecondsPerDay, p_.delivery_lag_s);
  for (sim::SimTime t = 0; t < p_.delivery_lag_s; t += slice_s) {
    const sim::SimTime len = std::min(slice_s, p_.delivery_lag_s - t);
    pipeline_.push_back({step.now_s + t + len, frontier_j_per_th(step.now_s + t + len - p_.delivery_lag_s),
                         rate_ths_per_s * static_cast<double>(len)});
  }
}

void IndustryNetwork::deliver(const Order& order) {
  const std::int64_t period = order.arrival_s / kPeriodS;
  if (vintages_.empty() || vintages_.back().period != period) {
    vintages_.push_back({period, order.j_per_th, order.ths, 1.0});
    return;
  }
  // Deliveries within a 30-day period are one vintage; merging keeps its installed hashrate
  // (m·u + new) with u = 1 for the new machines.
  Vintage& v = vintages_.back();
  const double installed = v.ths * v.installed_quantile + order.ths;
  v.j_per_th = (v.j_per_th * v.ths * v.installed_quantile + order.j_per_th * order.ths) / installed;
  v.ths += order.ths;
  v.installed_quantile = installed / v.ths;
}

double IndustryNetwork::next_ths(double hashrate_ths, const NetworkStep& step, sim::Rng&) {
  if (!started_) start(hashrate_ths, step);
  trailing_ths_ += (hashrate_ths - trailing_ths_) *
                   -std::expm1(-static_cast<double>(step.dt_s) / static_cast<double>(p_.next_difficulty_memory_s));
  // Running, scrapping and orders answer the anticipated hashprice ĥ.
  const double hashprice = anticipated_hashprice(step.hashprice_usd_per_th_day, step.difficulty);
  const sim::SimTime end_s = step.now_s + step.dt_s;
  const double dt_years = years(step.dt_s);

  // Orders on trailing returns, arriving after the lag.
  const double rho = new_machine_return_per_year(hashprice, step.now_s);
  trailing_return_ +=
      (rho - trailing_return_) * -std::expm1(-static_cast<double>(step.dt_s) / static_cast<double>(p_.profitability_memory_s));
  const double ordered_ths = installed_ths() * order_growth_per_year(trailing_return_) * dt_years;
  if (ordered_ths > 0) pipeline_.push_back({end_s + p_.delivery_lag_s, frontier_j_per_th(step.now_s), ordered_ths});
  while (!pipeline_.empty() && pipeline_.front().arrival_s <= end_s) {
    deliver(pipeline_.front());
    pipeline_.pop_front();
  }

  // Retirement: wear, and scrapping of what stays off (the dearest power first).
  const double worn = std::exp(-p_.wear_retirement_per_year * dt_years);
  const double kept_idle = std::exp(-p_.idle_retirement_per_year * dt_years);
  for (Vintage& v : vintages_) {
    v.ths *= worn;
    const double s = running_share(v.j_per_th, hashprice);
    if (s < v.installed_quantile) v.installed_quantile = s + (v.installed_quantile - s) * kept_idle;
  }
  // Vintages too small to matter are dropped, so 30-year runs keep a short list.
  const double tiny = 1e-9 * installed_ths();
  std::erase_if(vintages_, [tiny](const Vintage& v) { return v.ths * v.installed_quantile < tiny; });

  const double target = profitable_ths(hashprice);
  const double keep = std::exp(-static_cast<double>(step.dt_s) / static_cast<double>(p_.switch_time_s));
  return target + (hashrate_ths - target) * keep;
}

}  // namespace hybridsim::models::bitcoin
