#pragma once
#include <cstdint>

#include "sim/config/csv_series.hpp"
#include "sim/facility/power_price_model.hpp"

namespace hybridsim::models::power {

/// Replays settled prices from a CSV file (hourly, 15-minute, any regular interval), each row's
/// price held until the next row:
///
///     p(t) = v_i   for t_i <= epoch + t < t_{i+1},
///
/// one step per row (until = t_{i+1} − epoch). With `interpolation: linear` the price between
/// rows is the line through them; a step from t (a row, or the start) to t_{i+1} then holds its
/// mean, (p(t) + v_{i+1})/2, so energy at constant power costs exactly the line's integral. Beyond the last row its value is held for the
/// rest of the run (until = kNever): a file that ends early extends flat rather than failing,
/// so a year of prices can drive a longer run's tail. Rows before the epoch are skipped; the
/// file must have a row at or before the epoch. Draws nothing. Values are USD/MWh and may be
/// negative.
///
/// The file's interval is its most common row spacing; a larger step between two rows is a
/// gap and an error naming the later row (see sim::config::Spacing::kInferred). Parameters:
/// `path` (relative to the scenario), `column` (header name of the price column; default the
/// second), `date_column` (header name of the date column; default the first).
class CsvPowerPrice final : public sim::PowerPriceModel {
 public:
  /// `series` must start at or before `epoch_unix_s` (std::invalid_argument otherwise).
  CsvPowerPrice(sim::config::CsvSeries series, std::int64_t epoch_unix_s);
  Step step(sim::SimTime now_s, sim::Rng& rng) override;

 private:
  sim::config::CsvSeries series_;
  std::int64_t epoch_unix_s_;
};

}  // namespace hybridsim::models::power
