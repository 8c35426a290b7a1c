#include "models/bitcoin/csv_fees.hpp"

#include <cmath>
#include <utility>

#include "models/bitcoin/consensus.hpp"

namespace hybridsim::models::bitcoin {

CsvFees::CsvFees(sim::config::CsvSeries series, std::int64_t epoch_unix_s, double blocks_per_value)
    : series_(std::move(series)), epoch_unix_s_(epoch_unix_s), blocks_per_value_(blocks_per_value) {}

double CsvFees::expected_fees_sat(std::int64_t, std::int64_t) const {
  return series_.at(epoch_unix_s_ + now_s_) * static_cast<double>(kCoinSat) / blocks_per_value_;
}

std::int64_t CsvFees::draw_fees_sat(std::int64_t height, std::int64_t subsidy_sat, sim::Rng&) {
  return std::llround(expected_fees_sat(height, subsidy_sat));
}

}  // namespace hybridsim::models::bitcoin
