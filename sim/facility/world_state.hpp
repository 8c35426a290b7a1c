#pragma once
/// The exogenous world as the kernel sees it right now: only what every part shares and the
/// kernel itself needs. Model families keep their own state (the bitcoin side's chain,
/// price and hashprice live in models/bitcoin). Constant between events.

namespace hybridsim::sim {

struct WorldState {
  double power_price_usd_per_mwh = 0.0;  ///< marginal grid price now (may be negative)
};

}  // namespace hybridsim::sim
