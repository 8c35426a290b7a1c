#pragma once
#include <cstdint>

#include "sim/config/csv_series.hpp"
#include "models/bitcoin/network_model.hpp"

namespace hybridsim::models::bitcoin {

using sim::config::CsvSeries;

/// Replays the rest of the world's hashrate from a `date,value` CSV (daily, hourly or
/// irregular), linearly interpolated in time and scaled to TH/s:
/// H(t) = k·(v_i + (v_{i+1} − v_i)·(t − t_i)/(t_{i+1} − t_i)), k = TH/s per file unit; the last
/// value after the file ends. Ignores the implied starting hashrate. Draws nothing.
class CsvNetwork final : public NetworkModel {
 public:
  CsvNetwork(CsvSeries series, std::int64_t epoch_unix_s, double ths_per_unit);
  double initial_ths(double implied_ths) override;
  double next_ths(double hashrate_ths, const NetworkStep& step, sim::Rng& rng) override;

 private:
  CsvSeries series_;
  std::int64_t epoch_unix_s_;
  double ths_per_unit_;
};

}  // namespace hybridsim::models::bitcoin
