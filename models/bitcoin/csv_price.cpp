#include "models/bitcoin/csv_price.hpp"

#include <utility>

namespace hybridsim::models::bitcoin {

CsvPrice::CsvPrice(CsvSeries series, std::int64_t epoch_unix_s)
    : series_(std::move(series)), epoch_unix_s_(epoch_unix_s) {}

double CsvPrice::initial_usd() const { return series_.at(epoch_unix_s_); }

double CsvPrice::next_usd(double, const PriceStep& step, sim::Rng&) {
  return series_.at(epoch_unix_s_ + step.now_s + step.dt_s);
}

}  // namespace hybridsim::models::bitcoin
