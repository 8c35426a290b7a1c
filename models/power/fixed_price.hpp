#pragma once
#include "models/power/power_price_model.hpp"

namespace hybridsim::models::power {

/// A fixed power purchase agreement: p(t) = price_usd_per_mwh for the whole run.
class FixedPrice final : public PowerPriceModel {
 public:
  explicit FixedPrice(double price_usd_per_mwh) : price_usd_per_mwh_(price_usd_per_mwh) {}
  double initial_usd_per_mwh() const override { return price_usd_per_mwh_; }
  double next_usd_per_mwh(double, sim::SimTime, sim::SimTime, sim::Rng&) override { return price_usd_per_mwh_; }

 private:
  double price_usd_per_mwh_;
};

}  // namespace hybridsim::models::power
