#pragma once
#include "models/bitcoin/pool_payout.hpp"

namespace hybridsim::models::bitcoin {

/// Solo mining: no accrual; each block the network finds was found by the facility with
/// probability p = h_facility / h_network (the network total includes the facility), and
/// then the facility receives the whole reward, subsidy + fees, in satoshis. One uniform
/// draw per block, so the number of blocks won over n blocks is Binomial(n, p).
class SoloPayout final : public PoolPayout {
 public:
  double accrual_btc_per_s(const PayoutState& state) const override;
  std::int64_t on_block_sat(const PayoutState& state, std::int64_t subsidy_sat, std::int64_t fees_sat,
                            sim::Rng& rng) override;
  double fee_fraction() const override { return 0.0; }
};

}  // namespace hybridsim::models::bitcoin
