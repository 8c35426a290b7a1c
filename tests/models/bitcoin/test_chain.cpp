#include <catch2/catch.hpp>

#include "models/bitcoin/chain.hpp"

using namespace hybridsim::models::bitcoin;

namespace {
// Adds blocks `spacing_s` apart until the chain reaches `height`; returns the last outcome.
BlockOutcome add_until(Chain& chain, std::int64_t height, hybridsim::sim::SimTime& t, hybridsim::sim::SimTime spacing_s) {
  BlockOutcome last;
  while (chain.height() < height) {
    t += spacing_s;
    last = chain.add_block(t);
    if (chain.height() < height) REQUIRE_FALSE(last.retarget);
  }
  return last;
}
}  // namespace

TEST_CASE("retarget happens when the window's last block (height = 2015 mod 2016) is added") {
  Chain chain(0, 1000.0, 0, TimespanRule::kCore2015);
  hybridsim::sim::SimTime t = 0;
  const BlockOutcome out = add_until(chain, 2015, t, 300);
  CHECK(out.retarget);
  CHECK(out.old_difficulty == 1000.0);
  // Core: 2015 intervals of 300 s, from block 0 to block 2015.
  CHECK(out.timespan_s == 2015 * 300);
  CHECK(chain.difficulty() == Approx(1000.0 * 1'209'600 / (2015.0 * 300)));
  CHECK_FALSE(chain.add_block(t + 300).retarget);  // block 2016 opens the next window
}

TEST_CASE("Core2015 measures 2015 intervals, Full2016 all 2016") {
  Chain core(0, 1000.0, 0, TimespanRule::kCore2015);
  Chain full(0, 1000.0, 0, TimespanRule::kFull2016);
  hybridsim::sim::SimTime tc = 0, tf = 0;
  add_until(core, 2015, tc, 600);
  const BlockOutcome of = add_until(full, 2015, tf, 600);
  CHECK(of.timespan_s == 2016 * 600);
  CHECK(full.difficulty() == 1000.0);  // exactly on schedule
  CHECK(core.difficulty() == Approx(1000.0 * 2016.0 / 2015.0));

  // Second window: a 5000 s gap before block 2016 counts only for Full2016.
  tc += 5000;
  tf += 5000;
  core.add_block(tc);
  full.add_block(tf);
  const BlockOutcome c2 = add_until(core, 4031, tc, 600);
  const BlockOutcome f2 = add_until(full, 4031, tf, 600);
  CHECK(c2.timespan_s == 2015 * 600);
  CHECK(f2.timespan_s == 5000 + 2015 * 600);
}

TEST_CASE("a retarget is clamped to x4 when blocks come too fast") {
  Chain chain(0, 1000.0, 0, TimespanRule::kCore2015);
  hybridsim::sim::SimTime t = 0;
  const BlockOutcome out = add_until(chain, 2015, t, 60);
  CHECK(out.timespan_s == 2015 * 60);
  CHECK(chain.difficulty() == 4000.0);
}

TEST_CASE("halving flag at multiples of 210,000, subsidy is the next block's") {
  Chain chain(209'998, 1.0, 0, TimespanRule::kCore2015);
  CHECK(chain.subsidy_sat() == 50 * kCoinSat);
  CHECK_FALSE(chain.add_block(600).halving);  // 209,999
  CHECK(chain.subsidy_sat() == 25 * kCoinSat);
  CHECK(chain.era() == 1);
  CHECK(chain.add_block(1200).halving);  // 210,000
  CHECK_FALSE(chain.add_block(1800).halving);
}

TEST_CASE("starting mid-window takes the earlier blocks of the window as 600 s apart") {
  const std::int64_t start = 2016 * 400 + 1000;  // 1000 blocks into a window
  Chain core(start, 1000.0, 1'000'000, TimespanRule::kCore2015);
  Chain full(start, 1000.0, 1'000'000, TimespanRule::kFull2016);
  hybridsim::sim::SimTime tc = 1'000'000, tf = 1'000'000;
  const BlockOutcome c = add_until(core, 2016 * 401 - 1, tc, 1200);
  const BlockOutcome f = add_until(full, 2016 * 401 - 1, tf, 1200);
  CHECK(c.timespan_s == 1000 * 600 + 1015 * 1200);
  CHECK(f.timespan_s == 1001 * 600 + 1015 * 1200);
  CHECK(core.difficulty() == Approx(1000.0 * 1'209'600 / (1000 * 600 + 1015 * 1200)));
}

TEST_CASE("chain rejects blocks out of time order and bad starts") {
  Chain chain(10, 1.0, 100, TimespanRule::kCore2015);
  CHECK_THROWS(chain.add_block(99));
  CHECK_THROWS(Chain(-1, 1.0, 0, TimespanRule::kCore2015));
  CHECK_THROWS(Chain(0, 0.0, 0, TimespanRule::kCore2015));
}
