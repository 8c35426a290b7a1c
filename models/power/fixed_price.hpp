#pragma once
#include "sim/facility/power_price_model.hpp"

namespace hybridsim::models::power {

/// A fixed-price power purchase agreement: p(t) = price_usd_per_mwh for the whole run.
class FixedPrice final : public sim::PowerPriceModel {
 public:
  explicit FixedPrice(double price_usd_per_mwh) : price_usd_per_mwh_(price_usd_per_mwh) {}
  Step step(sim::SimTime, sim::Rng&) override { return Step{price_usd_per_mwh_, kNever}; }

 private:
  double price_usd_per_mwh_;
};

}  // namespace hybridsim::models::power
