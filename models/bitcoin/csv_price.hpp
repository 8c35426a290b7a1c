#pragma once
#include <cstdint>

#include "models/bitcoin/btc_price_model.hpp"
#include "sim/config/csv_series.hpp"

namespace hybridsim::models::bitcoin {

using sim::config::CsvSeries;

/// Replays a BTC/USD price from a `date,value` CSV (daily, hourly or irregular), linearly
/// interpolated in time: S(t) = v_i + (v_{i+1} − v_i)·(t − t_i)/(t_{i+1} − t_i) for
/// t_i <= epoch + t <= t_{i+1}; the last value after the file ends. Draws nothing.
class CsvPrice final : public BtcPriceModel {
 public:
  /// `series` values are USD; `epoch_unix_s` is the scenario's start.
  CsvPrice(CsvSeries series, std::int64_t epoch_unix_s);
  double initial_usd() const override;
  double next_usd(double price_usd, const PriceStep& step, sim::Rng& rng) override;

 private:
  CsvSeries series_;
  std::int64_t epoch_unix_s_;
};

}  // namespace hybridsim::models::bitcoin
