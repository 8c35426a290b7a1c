#include <catch2/catch.hpp>

#include <cmath>

#include "models/bitcoin/consensus.hpp"
#include "models/bitcoin/fpps_payout.hpp"
#include "models/bitcoin/solo_payout.hpp"

using namespace hybridsim::models::bitcoin;
using hybridsim::sim::Rng;

namespace {
PayoutState state_2024(double facility_ths) {
  PayoutState s;
  s.facility_hashrate_ths = facility_ths;
  s.network_hashrate_ths = 600e6;
  s.expected_hashes_per_block = 86'388'558'925'171.0 * kHashesPerDifficulty;
  s.subsidy_sat = 312'500'000;
  s.expected_fees_sat = 10'000'000;
  return s;
}
}  // namespace

TEST_CASE("fpps pays the expected value of the hashes less the pool fee") {
  FppsPayout pool(0.02);
  const PayoutState s = state_2024(1e6);  // 1 EH/s
  // 1e18 H/s / 3.7103e23 H/block × 86400 s = 0.23287 blocks/day, × 3.225 BTC × 0.98.
  CHECK(pool.accrual_btc_per_s(s) * 86400 == Approx(0.735959).epsilon(1e-5));
  Rng rng(1);
  CHECK(pool.on_block_sat(s, 312'500'000, 10'000'000, rng) == 0);
  CHECK(FppsPayout(0.0).accrual_btc_per_s(s) == Approx(pool.accrual_btc_per_s(s) / 0.98));
  CHECK_THROWS(FppsPayout(1.0));
}

TEST_CASE("solo wins the whole reward with probability = hashrate share") {
  SoloPayout pool;
  const PayoutState s = state_2024(6e6);  // 1% of the network
  CHECK(pool.accrual_btc_per_s(s) == 0.0);
  Rng rng(71);
  const int blocks = 100'000;
  int won = 0;
  for (int i = 0; i < blocks; ++i) {
    const auto paid = pool.on_block_sat(s, 312'500'000, 12'345, rng);
    REQUIRE((paid == 0 || paid == 312'512'345));
    won += paid > 0;
  }
  CHECK(std::abs(won - 0.01 * blocks) < 4 * std::sqrt(blocks * 0.01 * 0.99));
}
