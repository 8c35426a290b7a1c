#include "models/bitcoin/fpps_payout.hpp"

#include <stdexcept>

#include "models/bitcoin/consensus.hpp"

namespace hybridsim::models::bitcoin {

FppsPayout::FppsPayout(double fee) : fee_(fee) {
  if (!(fee >= 0 && fee < 1)) throw std::invalid_argument("fpps: fee must be in [0, 1)");
}

double FppsPayout::accrual_btc_per_s(const PayoutState& s) const {
  if (!(s.expected_hashes_per_block > 0)) return 0.0;
  const double blocks_per_s = s.facility_hashrate_ths * 1e12 / s.expected_hashes_per_block;
  const double reward_btc = (static_cast<double>(s.subsidy_sat) + s.expected_fees_sat) / static_cast<double>(kCoinSat);
  return blocks_per_s * reward_btc * (1.0 - fee_);
}

std::int64_t FppsPayout::on_block_sat(const PayoutState&, std::int64_t, std::int64_t, sim::Rng&) { return 0; }

}  // namespace hybridsim::models::bitcoin
