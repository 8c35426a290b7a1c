#pragma once
#include <memory>

#include "sim/facility/power_price_model.hpp"

namespace hybridsim::models::power {

/// A physical PPA with a fixed block and spot for the rest. The facility buys `block_mw`
/// every hour at the contract price whatever it draws; what it draws beyond the block it buys
/// at spot, and the part of the block it does not draw is sold back at spot:
///
///     cost [USD/h] = B·c + (P − B)·p_spot,
///
/// B = block_mw, c = contract_usd_per_mwh, P = grid draw (MW), p_spot from the nested spot
/// model. When P < B the second term is negative (a sale). The marginal price of one more MWh
/// is p_spot, so step() returns the spot model's steps unchanged (same times, same draws) and
/// the dispatch sees spot; only the bill differs. A take-or-pay block: at a spot price below c
/// the block costs more than spot would, above c it saves (B·(p_spot − c) per hour).
///
/// Parameters: `block_mw` (MW, ≥ 0), `contract_usd_per_mwh` (USD/MWh), `spot` (a nested
/// power_price model: `{model: ou_spot, ...}`, any model but `ppa`).
class PpaPrice final : public sim::PowerPriceModel {
 public:
  /// Throws std::invalid_argument on a negative block or a missing spot model.
  PpaPrice(double block_mw, double contract_usd_per_mwh, std::unique_ptr<sim::PowerPriceModel> spot);
  Step step(sim::SimTime now_s, sim::Rng& rng) override;
  double cost_usd_per_h(double grid_mw, double spot_usd_per_mwh) const override;

 private:
  double block_mw_;
  double contract_usd_per_mwh_;
  std::unique_ptr<sim::PowerPriceModel> spot_;
};

}  // namespace hybridsim::models::power
