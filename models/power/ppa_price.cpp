#include "models/power/ppa_price.hpp"

#include <stdexcept>
#include <utility>

namespace hybridsim::models::power {

PpaPrice::PpaPrice(double block_mw, double contract_usd_per_mwh, std::unique_ptr<sim::PowerPriceModel> spot)
    : block_mw_(block_mw), contract_usd_per_mwh_(contract_usd_per_mwh), spot_(std::move(spot)) {
  if (!(block_mw_ >= 0)) throw std::invalid_argument("block_mw: must be >= 0 (MW)");
  if (!spot_) throw std::invalid_argument("spot: a spot price model is required");
}

sim::PowerPriceModel::Step PpaPrice::step(sim::SimTime now_s, sim::Rng& rng) { return spot_->step(now_s, rng); }

double PpaPrice::cost_usd_per_h(double grid_mw, double spot_usd_per_mwh) const {
  return block_mw_ * contract_usd_per_mwh_ + (grid_mw - block_mw_) * spot_usd_per_mwh;
}

}  // namespace hybridsim::models::power
