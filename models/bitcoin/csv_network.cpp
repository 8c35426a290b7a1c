#include "models/bitcoin/csv_network.hpp"

#include <utility>

namespace hybridsim::models::bitcoin {

CsvNetwork::CsvNetwork(CsvSeries series, std::int64_t epoch_unix_s, double ths_per_unit)
    : series_(std::move(series)), epoch_unix_s_(epoch_unix_s), ths_per_unit_(ths_per_unit) {}

double CsvNetwork::initial_ths(double) { return ths_per_unit_ * series_.at(epoch_unix_s_); }

double CsvNetwork::next_ths(double, const NetworkStep& step, sim::Rng&) {
  return ths_per_unit_ * series_.at(epoch_unix_s_ + step.now_s + step.dt_s);
}

}  // namespace hybridsim::models::bitcoin
