#include "models/power/csv_power_price.hpp"

#include <stdexcept>
#include <utility>

#include "sim/core/time.hpp"

namespace hybridsim::models::power {

CsvPowerPrice::CsvPowerPrice(sim::config::CsvSeries series, std::int64_t epoch_unix_s)
    : series_(std::move(series)), epoch_unix_s_(epoch_unix_s) {
  if (series_.first_unix_s() > epoch_unix_s_)
    throw std::invalid_argument("path: " + series_.path() + " starts at " + sim::format_utc(series_.first_unix_s()) +
                                " UTC, after the scenario's start " + sim::format_utc(epoch_unix_s_) +
                                " UTC; accepted: a file with a row at or before the start");
}

sim::PowerPriceModel::Step CsvPowerPrice::step(sim::SimTime now_s, sim::Rng&) {
  const auto& rows = series_.points();
  const std::size_t n = series_.rows_at_or_before(epoch_unix_s_ + now_s);  // >= 1: checked at construction
  const sim::SimTime until = n < rows.size() ? rows[n].unix_s - epoch_unix_s_ : kNever;
  if (series_.interpolation() == sim::config::Interpolation::kLinear && n < rows.size())
    // The mean of the linear segment over [now, next row): energy at constant power costs
    // exactly what the interpolated price integrates to.
    return {0.5 * (series_.at(epoch_unix_s_ + now_s) + rows[n].value), until};
  return {rows[n - 1].value, until};
}

}  // namespace hybridsim::models::power
