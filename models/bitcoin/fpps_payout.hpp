#pragma once
#include "models/bitcoin/pool_payout.hpp"

namespace hybridsim::models::bitcoin {

/// Full pay-per-share: the pool pays the expected value of the facility's hashes,
/// continuously, whether or not the pool finds blocks:
///
///   accrual [BTC/s] = h · 10^12 / (D · 2^32) · (subsidy + E[fees]) · (1 − fee) / 10^8,
///
/// h = facility hashrate in TH/s, D · 2^32 = expected hashes per block, subsidy and E[fees]
/// in satoshis. Nothing is paid per block. Draws nothing.
class FppsPayout final : public PoolPayout {
 public:
  /// `fee` in [0, 1): the pool's cut.
  explicit FppsPayout(double fee);
  double accrual_btc_per_s(const PayoutState& state) const override;
  std::int64_t on_block_sat(const PayoutState& state, std::int64_t subsidy_sat, std::int64_t fees_sat,
                            sim::Rng& rng) override;
  double fee_fraction() const override { return fee_; }

 private:
  double fee_;
};

}  // namespace hybridsim::models::bitcoin
