#pragma once
/// PoolPayout: how the facility's hashrate turns into BTC.
#include <cstdint>

#include "sim/core/rng_streams.hpp"

namespace hybridsim::models::bitcoin {

/// The state a payout depends on, all constant between events.
struct PayoutState {
  double facility_hashrate_ths = 0.0;
  double network_hashrate_ths = 0.0;  ///< total, facility included
  double expected_hashes_per_block = 0.0;  ///< D × 2^32
  std::int64_t subsidy_sat = 0;
  double expected_fees_sat = 0.0;
};

class PoolPayout {
 public:
  virtual ~PoolPayout() = default;
  /// BTC per second accrued continuously (FPPS); 0 for payouts that come in lumps.
  virtual double accrual_btc_per_s(const PayoutState& state) const = 0;
  /// BTC paid when the network finds a block worth `subsidy_sat + fees_sat`, in satoshis
  /// (solo: the whole reward if the facility found it, drawn from `rng`, the "pool" stream).
  virtual std::int64_t on_block_sat(const PayoutState& state, std::int64_t subsidy_sat,
                                    std::int64_t fees_sat, sim::Rng& rng) = 0;
  /// The share of the expected reward the pool keeps (FPPS: its fee; solo: 0). Break-even
  /// decisions use hashprice × (1 − fee_fraction()): what the facility actually earns.
  virtual double fee_fraction() const = 0;
};

}  // namespace hybridsim::models::bitcoin
