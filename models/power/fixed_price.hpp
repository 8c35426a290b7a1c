#pragma once
#include "sim/facility/power_price_model.hpp"

namespace hybridsim::models::power {

/// A fixed-price contract: p(t) = price_usd_per_mwh for the whole run, one step that never
/// ends (until = kNever). Draws nothing.
///
/// Parameter: `price_usd_per_mwh` (USD/MWh, required; negative allowed), the all-in energy
/// price. Cost per hour: grid_mw × p.
class FixedPrice final : public sim::PowerPriceModel {
 public:
  explicit FixedPrice(double price_usd_per_mwh);
  Step step(sim::SimTime now_s, sim::Rng& rng) override;

 private:
  double price_usd_per_mwh_;
};

}  // namespace hybridsim::models::power
