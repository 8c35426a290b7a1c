#pragma once
/// PowerPriceModel: the price the facility pays for grid energy, USD/MWh (may be negative).
#include "sim/core/rng_streams.hpp"
#include "sim/core/time.hpp"

namespace hybridsim::models::power {

class PowerPriceModel {
 public:
  virtual ~PowerPriceModel() = default;
  virtual double initial_usd_per_mwh() const = 0;
  /// The price over [now_s + dt_s, next step) given `price` over the step before.
  virtual double next_usd_per_mwh(double price_usd_per_mwh, sim::SimTime now_s, sim::SimTime dt_s,
                                  sim::Rng& rng) = 0;
};

}  // namespace hybridsim::models::power
