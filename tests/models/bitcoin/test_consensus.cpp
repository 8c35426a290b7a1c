#include <catch2/catch.hpp>

#include "models/bitcoin/consensus.hpp"

using namespace hybridsim::models::bitcoin;

TEST_CASE("all subsidies ever sum to Core's subsidy_limit_test total") {
  std::int64_t total = 0;
  for (std::int64_t era = 0; era < 70; ++era) total += kHalvingIntervalBlocks * block_subsidy_sat(era * kHalvingIntervalBlocks);
  CHECK(total == 2'099'999'997'690'000);
  CHECK(total < 21'000'000 * kCoinSat);
}

TEST_CASE("subsidy follows Core's integer halving rule at era boundaries") {
  CHECK(block_subsidy_sat(0) == 50 * kCoinSat);
  CHECK(block_subsidy_sat(209'999) == 50 * kCoinSat);
  CHECK(block_subsidy_sat(210'000) == 25 * kCoinSat);
  CHECK(block_subsidy_sat(840'000) == 312'500'000);
  CHECK(block_subsidy_sat(6'720'000) == 1);
  CHECK(block_subsidy_sat(6'929'999) == 1);
  CHECK(block_subsidy_sat(6'930'000) == 0);
  CHECK(block_subsidy_sat(64 * 210'000) == 0);
  CHECK(block_subsidy_sat(100 * 210'000) == 0);
}

TEST_CASE("retarget factors match Core's test vectors") {
  CHECK(retarget_target_factor(1'022'578) == Approx(0.84539).margin(1e-5));
  CHECK(retarget_target_factor(289'434) == 0.25);  // clamped to T/4
  CHECK(retarget_target_factor(6'048'000) == 4.0);  // clamped to 4T
  CHECK(retarget_target_factor(kTargetTimespanS) == 1.0);
  CHECK(retarget_difficulty(100.0, 289'434) == 400.0);
  CHECK(retarget_difficulty(100.0, 6'048'000) == 25.0);
}

TEST_CASE("hashprice at the 2024 halving is about 5 cents a TH-day") {
  // 3.125 BTC + ~0.1 BTC fees at $64k and D = 86.39 T (hashprice computed from Coin Metrics daily data was ≈ $0.048–0.057 in the days after the April 2024 halving).
  CHECK(hashprice_usd_per_th_day(3.225, 64'000, 86'388'558'925'171.0) == Approx(0.0481).epsilon(0.01));
}
