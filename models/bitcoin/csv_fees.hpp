#pragma once
#include <cstdint>

#include "models/bitcoin/fee_model.hpp"
#include "sim/config/csv_series.hpp"

namespace hybridsim::models::bitcoin {

/// Replays transaction fees from a `date,value` CSV: the value is BTC per block, or BTC per
/// day (spread over the 144 blocks a day at 600 s), read at the time of the block by the
/// series' interpolation (`step`: held until the next row; `linear`):
///   F(t) = v(t) · 10^8 / n sat,   n = 1 (per block) or 144 (per day).
/// Expected fees (what FPPS and hashprice use) are F at the world's last clock step or block;
/// a found block's fees are F at its time, rounded to a satoshi. Draws nothing.
class CsvFees final : public FeeModel {
 public:
  /// `blocks_per_value` = n above.
  CsvFees(sim::config::CsvSeries series, std::int64_t epoch_unix_s, double blocks_per_value);
  void observe_time_s(sim::SimTime now_s) override { now_s_ = now_s; }
  double expected_fees_sat(std::int64_t height, std::int64_t subsidy_sat) const override;
  std::int64_t draw_fees_sat(std::int64_t height, std::int64_t subsidy_sat, sim::Rng& rng) override;

 private:
  sim::config::CsvSeries series_;
  std::int64_t epoch_unix_s_;
  double blocks_per_value_;
  sim::SimTime now_s_ = 0;
};

}  // namespace hybridsim::models::bitcoin
