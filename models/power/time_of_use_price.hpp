#pragma once
#include <array>
#include <cstdint>

#include "sim/facility/power_price_model.hpp"

namespace hybridsim::models::power {

/// A time-of-use tariff: a price for each hour of the local day, by day type, scaled by month:
///
///     p(t) = table_d(h)[USD/MWh] · m(month),   local clock τ = epoch + t + utc_offset,
///
/// h = the hour of τ (0–23), d = weekday (Monday–Friday) or weekend (Saturday, Sunday) of τ,
/// month = the calendar month of τ, m = the month's multiplier (1 when none is given). Tables
/// come from a utility's tariff sheet; the local clock is fixed-offset (no daylight saving:
/// tariffs in standard time, as most US utility tariffs are written, need no more).
///
/// Steps: p is constant within a local hour, so the model steps at local hour boundaries,
/// merged where the price does not change (a flat night is one step). A table that never
/// changes gives one step with until = kNever. Draws nothing.
///
/// Parameters (register_power.cpp): `usd_per_mwh` (24 numbers, every day) and/or
/// `weekday_usd_per_mwh` and `weekend_usd_per_mwh` (24 numbers each, override it on those
/// days), `monthly_multiplier` (12 numbers ≥ 0, January first; default all 1),
/// `utc_offset_hours` (hours east of UTC in [−12, 14], a multiple of 0.25; −6 for US Central
/// Standard Time).
class TimeOfUsePrice final : public sim::PowerPriceModel {
 public:
  struct Params {
    std::array<double, 24> weekday_usd_per_mwh{};  ///< local hours 0–23, Monday–Friday
    std::array<double, 24> weekend_usd_per_mwh{};  ///< Saturday and Sunday
    std::array<double, 12> monthly_multiplier{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};  ///< January–December
    std::int64_t utc_offset_s = 0;  ///< local clock − UTC
    std::int64_t epoch_unix_s = 0;  ///< the scenario's start
  };

  explicit TimeOfUsePrice(const Params& params);
  Step step(sim::SimTime now_s, sim::Rng& rng) override;

  /// p at `now_s` (seconds since the epoch).
  double price_at(sim::SimTime now_s) const;

 private:
  double price_at_local(std::int64_t local_s) const;
  Params params_;
};

}  // namespace hybridsim::models::power
