#pragma once
/// The bitcoin world as the facility sees it right now: price, chain and hashprice. Updated
/// by the BitcoinWorld's events; every field is constant between events.
#include <cstdint>

namespace hybridsim::models::bitcoin {

struct BitcoinState {
  double btc_price_usd = 0.0;
  std::int64_t block_height = 0;          ///< height of the last block
  double difficulty = 0.0;
  std::int64_t subsidy_sat = 0;           ///< of the next block
  double expected_fees_sat = 0.0;         ///< per block
  double network_hashrate_ths = 0.0;      ///< rest of the world
  double facility_hashrate_ths = 0.0;     ///< this facility's, running machines
  double hashprice_usd_per_th_day = 0.0;  ///< gross (before the pool fee), at the current difficulty, reward and price
  std::int64_t halvings_seen = 0;         ///< halvings since the run started
};

}  // namespace hybridsim::models::bitcoin
