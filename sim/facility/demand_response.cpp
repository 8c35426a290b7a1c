#include "sim/facility/demand_response.hpp"

#include <algorithm>
#include <cmath>

#include "sim/core/time.hpp"

namespace hybridsim::sim {

DemandResponse::DemandResponse(DemandResponseSpec spec, std::int64_t epoch_unix_s)
    : spec_(std::move(spec)), epoch_unix_s_(epoch_unix_s) {
  running_.assign(spec_.programs.size(), false);
  baseline_mw_.assign(spec_.programs.size(), 0.0);
  scheduled_open_.assign(spec_.programs.size(), 0);
}

void DemandResponse::start(Engine& engine, SimTime horizon_s, std::function<double()> grid_power_mw,
                           const Flow& energy_mwh, Flow& credits_usd, Flow& curtailed_mwh, Flow& charges_usd,
                           std::function<void()> on_change) {
  engine_ = &engine;
  grid_power_mw_ = std::move(grid_power_mw);
  on_change_ = std::move(on_change);
  energy_mwh_ = &energy_mwh;
  credits_usd_ = &credits_usd;
  curtailed_mwh_ = &curtailed_mwh;
  charges_usd_ = &charges_usd;
  for (std::size_t k = 0; k < spec_.programs.size(); ++k)
    for (const auto& w : spec_.programs[k].windows) {
      if (w.end_s <= 0 || w.start_s > horizon_s) continue;
      engine.at(std::max<SimTime>(w.start_s, 0), [this, k] {
        ++scheduled_open_[k];
        begin(k);
      }, priority::kWorld);
      if (w.end_s <= horizon_s)
        engine.at(w.end_s, [this, k] {
          if (--scheduled_open_[k] == 0) end(k);
        }, priority::kWorld);
    }
  if (spec_.peaks) {
    const CoincidentPeaks& cp = *spec_.peaks;
    for (SimTime t : cp.peak_starts_s) {
      if (t < 0 || t + cp.interval_s > horizon_s) continue;
      auto at_start = std::make_shared<double>(0.0);
      engine.at(t, [this, at_start] { *at_start = energy_mwh_->value(); }, priority::kWorld);
      engine.at(t + cp.interval_s, [this, at_start, &cp] {
        const double mean_mw = (energy_mwh_->value() - *at_start) / (static_cast<double>(cp.interval_s) / 3600.0);
        const double charge = cp.rate_usd_per_mw_year / 4.0 * mean_mw;
        charges_usd_->add(charge);  // an outflow account: cash follows
      }, priority::kWorld);
    }
    if (!cp.predict_months.empty()) {
      // Check the rule at every hour boundary of the local clock (offsets are whole quarter
      // hours, so hour boundaries fall on whole 15-minute marks of UTC).
      const auto offset_s = static_cast<SimTime>(std::llround(cp.utc_offset_hours * 3600));
      const SimTime local0 = epoch_unix_s_ + offset_s;
      const SimTime first = (3600 - ((local0 % 3600) + 3600) % 3600) % 3600;
      in_window_ = window_at(0);
      engine.every(first == 0 ? 3600 : first, 3600, [this] {
        const bool w = window_at(engine_->now());
        if (w != in_window_) {
          in_window_ = w;
          if (on_change_) on_change_();
        }
      }, priority::kWorld);
    }
  }
}

bool DemandResponse::window_at(SimTime t) const {
  const CoincidentPeaks& cp = *spec_.peaks;
  const auto offset_s = static_cast<std::int64_t>(std::llround(cp.utc_offset_hours * 3600));
  const CivilTime c = civil_from_unix(epoch_unix_s_ + t + offset_s);
  if (cp.weekdays_only && c.weekday >= 5) return false;
  return std::find(cp.predict_months.begin(), cp.predict_months.end(), c.month) != cp.predict_months.end() &&
         std::find(cp.predict_hours.begin(), cp.predict_hours.end(), c.hour) != cp.predict_hours.end();
}

void DemandResponse::on_price(double price_usd_per_mwh) {
  price_usd_per_mwh_ = price_usd_per_mwh;
  for (std::size_t k = 0; k < spec_.programs.size(); ++k) {
    const auto& threshold = spec_.programs[k].price_above_usd_per_mwh;
    if (!threshold || scheduled_open_[k] > 0) continue;
    if (price_usd_per_mwh > *threshold && !running_[k]) begin(k);
    if (price_usd_per_mwh <= *threshold && running_[k]) end(k);
  }
}

void DemandResponse::begin(std::size_t k) {
  if (running_[k]) return;
  running_[k] = true;
  // The draw now, before the dispatch reacts to the event (it decides later in this instant).
  baseline_mw_[k] = grid_power_mw_ ? grid_power_mw_() : 0.0;
  refresh_active();
}

void DemandResponse::end(std::size_t k) {
  if (!running_[k]) return;
  const auto& threshold = spec_.programs[k].price_above_usd_per_mwh;
  if (threshold && price_usd_per_mwh_ > *threshold) return;  // the price still calls it
  running_[k] = false;
  refresh_active();
}

void DemandResponse::refresh_active() {
  int best = -1;
  for (std::size_t k = 0; k < running_.size(); ++k)
    if (running_[k] && (best < 0 || spec_.programs[k].credit_usd_per_mwh > spec_.programs[best].credit_usd_per_mwh))
      best = static_cast<int>(k);
  active_ = best;
  if (on_change_) on_change_();
}

double DemandResponse::price_adder_usd_per_mwh() const {
  double adder = active_ >= 0 ? spec_.programs[active_].credit_usd_per_mwh : 0.0;
  if (in_window_) adder += spec_.peaks->avoid_value_usd_per_mwh;
  return adder;
}

void DemandResponse::update_rates(double grid_power_mw) {
  if (!credits_usd_) return;
  if (active_ < 0) {
    credits_usd_->rate_per_s = curtailed_mwh_->rate_per_s = 0.0;
    return;
  }
  const double short_mw = std::max(0.0, baseline_mw_[active_] - grid_power_mw);
  curtailed_mwh_->rate_per_s = short_mw / 3600.0;
  credits_usd_->rate_per_s = spec_.programs[active_].credit_usd_per_mwh * short_mw / 3600.0;
}

}  // namespace hybridsim::sim
