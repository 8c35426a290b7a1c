#pragma once
/// GpuPriceModel: the market (spot) price of a GPU-hour, stepped by the AI part's price clock.
#include "sim/core/rng_streams.hpp"
#include "sim/core/time.hpp"

namespace hybridsim::models::ai {

class GpuPriceModel {
 public:
  virtual ~GpuPriceModel() = default;
  /// The price at the epoch, USD per GPU-hour.
  virtual double initial_usd_per_gpu_hour() const = 0;
  /// Seconds between price steps; 0 for a price that never changes.
  virtual sim::SimTime step_s() const = 0;
  /// The price at now_s + dt_s given `price` at now_s. Draws only from `rng` ("gpu_price").
  virtual double next_usd_per_gpu_hour(double price, sim::SimTime now_s, sim::SimTime dt_s, sim::Rng& rng) = 0;
};

}  // namespace hybridsim::models::ai
