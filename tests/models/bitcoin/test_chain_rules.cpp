// The chain's rules as a choice: Core's exactly by default, halving parameters, a tail
// emission, ASERT against BCH's reference formula, and the consensus edges (the difficulty
// floor, the start-height bound, a start mid-window).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>

#include "models/bitcoin/asert.hpp"
#include "models/bitcoin/chain.hpp"
#include "models/bitcoin/chain_rules.hpp"

using namespace hybridsim::models::bitcoin;

TEST_CASE("default rules are Bitcoin Core's subsidy at every era boundary", "[chain_rules]") {
  const ChainRules core;
  CHECK(core.is_core());
  for (std::int64_t era = 0; era < 70; ++era)
    for (std::int64_t d : {-1, 0, 1, 104'999}) {
      const std::int64_t h = era * kHalvingIntervalBlocks + d;
      if (h < 0) continue;
      INFO("height " << h);
      CHECK(core.subsidy_sat(h) == block_subsidy_sat(h));
    }
  std::int64_t total = 0;
  for (std::int64_t era = 0; era < 70; ++era) total += kHalvingIntervalBlocks * core.subsidy_sat(era * kHalvingIntervalBlocks);
  CHECK(total == 2'099'999'997'690'000);
}

TEST_CASE("halving interval, initial subsidy and tail emission are parameters", "[chain_rules]") {
  ChainRules r;
  r.halving_interval_blocks = 105'000;
  r.initial_subsidy_sat = 100 * kCoinSat;
  CHECK_FALSE(r.is_core());
  CHECK(r.subsidy_sat(104'999) == 100 * kCoinSat);
  CHECK(r.subsidy_sat(105'000) == 50 * kCoinSat);
  CHECK(r.subsidy_sat(210'000) == 25 * kCoinSat);
  CHECK(r.subsidy_sat(64 * 105'000) == 0);
  // A tail of 0.1 BTC: 100 BTC halves to 0.78125 at era 7, 0.09765625 at era 10 (below the tail).
  r.tail_emission_sat = 10'000'000;
  CHECK(r.subsidy_sat(7 * 105'000) == 78'125'000);
  CHECK(r.subsidy_sat(10 * 105'000) == 10'000'000);
  CHECK(r.subsidy_sat(1'000'000'000) == 10'000'000);  // forever, past 64 halvings too
}

TEST_CASE("ASERT reproduces aserti3-2d's fixed-point formula (hand-computed vectors)", "[chain_rules][asert]") {
  const std::int64_t hl = 172'800;  // BCH's half-life
  const double d0 = 1e14;
  // On schedule: Δt = 600·(Δh + 1) → exponent 0, factor 65536, difficulty unchanged.
  CHECK(asert_factor(600 * 11, 10, hl).exponent == 0);
  CHECK(asert_difficulty(d0, 600 * 11, 10, hl) == d0);
  // One half-life behind: exponent 65536 → one shift, target ×2, difficulty ÷2.
  const AsertFactor behind = asert_factor(600 * 11 + hl, 10, hl);
  CHECK(behind.exponent == 65536);
  CHECK(behind.shifts == 1);
  CHECK(behind.factor == 65536);
  CHECK(asert_difficulty(d0, 600 * 11 + hl, 10, hl) == d0 / 2);
  CHECK(asert_difficulty(d0, 600 * 11 - hl, 10, hl) == d0 * 2);
  // Half a half-life behind: frac 32768; factor = 65536 + ((195766423245049·32768 +
  // 971821376·32768² + 5127·32768³ + 2^47) >> 48) = 92674 (65536·√2 = 92681.9).
  const AsertFactor half = asert_factor(600 + 86'400, 0, hl);
  CHECK(half.exponent == 32768);
  CHECK(half.shifts == 0);
  CHECK(half.factor == 92674);
  CHECK(asert_difficulty(d0, 600 + 86'400, 0, hl) == Approx(70716705872197.17).epsilon(1e-15));
  // A quarter: frac 16384 → factor 77938 (65536·2^¼ = 77935.6).
  CHECK(asert_factor(600 + 43'200, 0, hl).factor == 77938);
  CHECK(asert_difficulty(d0, 600 + 43'200, 0, hl) == Approx(84087351484513.33).epsilon(1e-15));
  // 1.5 half-lives behind: shifts 1, frac 32768 → d0·65536/(92674·2).
  CHECK(asert_difficulty(d0, 600 + 259'200, 0, hl) == Approx(35358352936098.586).epsilon(1e-15));
  // 1.5 ahead: exponent −98304 → shifts −2 (floor), frac 32768 → d0·65536·4/92674.
  const AsertFactor ahead = asert_factor(600 - 259'200, 0, hl);
  CHECK(ahead.shifts == -2);
  CHECK(ahead.factor == 92674);
  CHECK(asert_difficulty(d0, 600 - 259'200, 0, hl) == Approx(282866823488788.7).epsilon(1e-15));
  // The division truncates toward zero: 1 s ahead gives exponent −65536/172800 → 0, not −1.
  CHECK(asert_factor(600 - 1, 0, hl).exponent == 0);
  CHECK(asert_factor(600 - 3, 0, hl).exponent == -1);
  CHECK(asert_factor(600 - 3, 0, hl).shifts == -1);
  CHECK(asert_factor(600 - 3, 0, hl).factor == 131071);
  // The fixed-point form stays within 0.015% of the ideal 2^x (cubic and truncation).
  for (std::int64_t dt = -400'000; dt <= 400'000; dt += 9'973) {
    INFO("dt " << dt);
    CHECK(asert_difficulty(d0, 600 + dt, 0, hl) ==
          Approx(d0 / std::exp2(static_cast<double>(dt) / static_cast<double>(hl))).epsilon(1.5e-4));
  }
}

TEST_CASE("a chain under ASERT moves its difficulty at every block", "[chain_rules][asert]") {
  ChainRules r;
  r.algorithm = DifficultyAlgorithm::kAsert;
  Chain chain(100, 1e12, 0, r);
  for (int i = 1; i <= 100; ++i) {
    const BlockOutcome out = chain.add_block(600 * i);
    CHECK_FALSE(out.retarget);
  }
  CHECK(chain.difficulty() == 1e12);  // on schedule: unchanged
  // Blocks a half-life late in total: difficulty halves.
  Chain late(100, 1e12, 0, r);
  late.add_block(600 + 172'800);
  CHECK(late.difficulty() == 5e11);
  // Fast blocks (300 s) raise it: after 576 blocks (one half-life ahead) it has doubled.
  Chain fast(0, 1e12, 0, r);
  for (int i = 1; i <= 576; ++i) fast.add_block(300 * i);
  CHECK(fast.difficulty() == 2e12);
}

TEST_CASE("difficulty never falls below Core's proof-of-work limit", "[chain_rules][floor]") {
  // Blocks 4 hours apart: each retarget would divide difficulty by 4.
  Chain chain(2015, 2.0, 0, TimespanRule::kCore2015);
  for (int i = 1; i <= 3 * 2016; ++i) chain.add_block(static_cast<std::int64_t>(i) * 14'400);
  CHECK(chain.difficulty() == kMinDifficulty);
  ChainRules asert;
  asert.algorithm = DifficultyAlgorithm::kAsert;
  Chain slow(0, 4.0, 0, asert);
  slow.add_block(100 * 172'800);  // a hundred half-lives late
  CHECK(slow.difficulty() == kMinDifficulty);
  CHECK_THROWS(Chain(0, 0.5, 0, TimespanRule::kCore2015));
}

TEST_CASE("start height is bounded so every height fits", "[chain_rules][bounds]") {
  CHECK_THROWS(Chain(kMaxStartHeight + 1, 1.0, 0, TimespanRule::kCore2015));
  CHECK_THROWS(Chain(-1, 1.0, 0, TimespanRule::kCore2015));
  Chain top(kMaxStartHeight, 1.0, 0, TimespanRule::kCore2015);
  for (int i = 1; i <= 5000; ++i) top.add_block(600 * i);
  CHECK(top.height() == kMaxStartHeight + 5000);
  CHECK(top.subsidy_sat() == 0);  // far past the 64th halving: Core's special case, no shift
}

TEST_CASE("a chain started mid-window retargets from the window's real start", "[chain_rules][window]") {
  // Start at 1000 blocks into a window (height 2016·400 + 999, the window's 1000th block);
  // the window's first block was 999 intervals of 580 s earlier. The remaining 1016 blocks
  // come 600 s apart, so the window's last block (into_window 2015) is at 1016·600 s and
  // Core's timespan is 1016·600 + 999·580 = 609,600 + 579,420 = 1,189,020 s:
  // D' = 1000 · 1,209,600 / 1,189,020 = 1017.3083...
  const std::int64_t start = 2016 * 400 + 999;
  Chain known(start, 1000.0, 0, ChainRules{}, -999 * 580);
  Chain assumed(start, 1000.0, 0, TimespanRule::kCore2015);
  BlockOutcome a, b;
  for (int i = 1; i <= 1016; ++i) {
    a = known.add_block(600 * i);
    b = assumed.add_block(600 * i);
  }
  REQUIRE(a.retarget);
  CHECK(a.timespan_s == 1'189'020);
  CHECK(known.difficulty() == Approx(1000.0 * 1'209'600 / 1'189'020).epsilon(1e-15));
  CHECK(known.difficulty() == Approx(1017.308371599).epsilon(1e-10));
  // Assuming 600 s before the start: 2015 · 600 = 1,209,000 s → ×1.000496.
  CHECK(b.timespan_s == 1'209'000);
  CHECK(assumed.difficulty() == Approx(1000.4962779156327).epsilon(1e-15));
  // A window start after the start block, or other than its own time when it opens the window, is refused.
  CHECK_THROWS(Chain(start, 1000.0, 0, ChainRules{}, 10));
  CHECK_THROWS(Chain(2016 * 400, 1000.0, 0, ChainRules{}, -600));
}
