#include "models/bitcoin/asic_capital.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/finance/straight_line.hpp"

namespace hybridsim::models::bitcoin {

void AsicCapital::start(sim::RunContext& ctx) {
  engine_ = &ctx.engine;
  world_ = &ctx.world;
  capex_ = &ctx.ledger.account("asic_capex", sim::AccountKind::kCapital, sim::CashSign::kOut);
  resale_ = &ctx.ledger.account("asic_resale", sim::AccountKind::kCapital, sim::CashSign::kIn);
  depreciation_ = &ctx.ledger.flow();
  // Declared before the first lump, so that the purchase at the start is in the first interval.
  auto& rec = ctx.recorder;
  rec.flow({"asic_capex_usd", "USD", "ASICs bought (count × price on arrival)"}, *capex_);
  rec.flow({"asic_resale_usd", "USD", "ASICs sold on retirement or conversion"}, *resale_);
  rec.flow({"asic_depreciation_usd", "USD", "straight-line depreciation of the ASICs in place (not cash)"},
           *depreciation_);
  const sim::SimTime horizon = ctx.build.horizon_s;
  for (std::size_t i = 0; i < fleet_.cohort_count(); ++i) {
    const AsicCohortSpec& c = fleet_.cohort_spec(i);
    if (c.arrives_s <= 0) {
      capex_->add(static_cast<double>(c.count) * c.price_usd);  // in place at the start: bought then
    } else if (c.arrives_s <= horizon) {
      ctx.engine.at(c.arrives_s, [this, i] { arrive(i); }, sim::priority::kFacility);
    }
    if (c.retires_s > 0 && c.retires_s <= horizon)
      ctx.engine.at(c.retires_s, [this, i] { sell(i, fleet_.installed(i)); }, sim::priority::kFacility);
    const sim::SimTime life_end = std::max<sim::SimTime>(0, c.arrives_s) +
                                  std::llround(c.depreciation_years * sim::kSecondsPerYear);
    if (life_end <= horizon) ctx.engine.at(life_end, [this] { ++version_; }, sim::priority::kFacility);
  }
}

void AsicCapital::arrive(std::size_t i) {
  const AsicCohortSpec& c = fleet_.cohort_spec(i);
  ++version_;
  capex_->add(static_cast<double>(c.count) * c.price_usd);
  fleet_.set_installed(i, c.count);
}

void AsicCapital::sell(std::size_t i, std::int64_t machines) {
  if (machines <= 0) return;
  ++version_;
  resale_->add(static_cast<double>(machines) * resale_usd(i));
  fleet_.set_installed(i, fleet_.installed(i) - machines);
}

double AsicCapital::resale_usd(std::size_t i) const {
  const AsicCohortSpec& c = fleet_.cohort_spec(i);
  const double power_usd_per_day = c.power_w * c.pue * 24.0 / 1e6 * (world_ ? world_->power_price_usd_per_mwh : 0.0);
  const double margin_usd_per_day = c.hashrate_ths * fleet_.net_hashprice_usd_per_th_day() - power_usd_per_day;
  const double value = std::max(0.0, margin_usd_per_day) * resale_margin_days_;
  return c.price_usd > 0 ? std::min(c.price_usd, value) : value;
}

void AsicCapital::update_rates() {
  // The depreciation rate moves only at arrivals, life ends and changes of what is installed,
  // each of which moves version_.
  if (rated_version_ == version_) return;
  rated_version_ = version_;
  const sim::SimTime now = engine_ ? engine_->now() : 0;
  double rate = 0.0;
  for (std::size_t i = 0; i < fleet_.cohort_count(); ++i) {
    const AsicCohortSpec& c = fleet_.cohort_spec(i);
    const auto life_s = std::llround(c.depreciation_years * sim::kSecondsPerYear);
    rate += sim::finance::straight_line_rate_usd_per_s(static_cast<double>(fleet_.installed(i)) * c.price_usd,
                                                       std::max<sim::SimTime>(0, c.arrives_s), life_s, now);
  }
  depreciation_->rate_per_s = rate;
}

void AsicCapital::remove_capacity(const std::string& hall, double grid_mw) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < fleet_.cohort_count(); ++i)
    if (fleet_.cohort_spec(i).hall == hall) order.push_back(i);
  // Least efficient first: highest J/TH (W per TH/s); ties in declaration order.
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto& x = fleet_.cohort_spec(a);
    const auto& y = fleet_.cohort_spec(b);
    return x.power_w / x.hashrate_ths > y.power_w / y.hashrate_ths;
  });
  double left_mw = grid_mw;
  for (std::size_t i : order) {
    if (left_mw <= 0.0) break;
    const AsicCohortSpec& c = fleet_.cohort_spec(i);
    const double unit_mw = c.power_w * c.pue / 1e6;
    const auto wanted = static_cast<std::int64_t>(std::ceil(left_mw / unit_mw - 1e-9));
    const std::int64_t n = std::min(fleet_.installed(i), wanted);
    sell(i, n);
    left_mw -= static_cast<double>(n) * unit_mw;
  }
}

}  // namespace hybridsim::models::bitcoin
