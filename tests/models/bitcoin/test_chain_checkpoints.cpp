// The chain at a date from checkpoints: exact at a checkpoint, documented estimates between
// them, nothing outside their range.
#include <catch2/catch.hpp>

#include <cmath>

#include "models/bitcoin/chain_checkpoints.hpp"
#include "sim/core/time.hpp"

using namespace hybridsim::models::bitcoin;
using hybridsim::sim::parse_utc;

TEST_CASE("Difficulty from nBits as Bitcoin Core computes it", "[bitcoin][checkpoints]") {
  CHECK(difficulty_from_bits(0x1d00ffff) == 1.0);  // the proof-of-work limit
  // Block 840,000: 0xffff / 0x034219 · 256^(29 − 0x17) = 65535 / 213529 · 2^48.
  CHECK(difficulty_from_bits(0x17034219) == Approx(65535.0 / 213529.0 * std::pow(2.0, 48)).epsilon(1e-15));
  CHECK(std::floor(difficulty_from_bits(0x17034219)) == 86388558925171.0);
  CHECK(std::floor(difficulty_from_bits(0x17117a39)) == 16104807485529.0);  // block 630,000
}

TEST_CASE("The table is sorted and holds the 2020 and 2024 halvings", "[bitcoin][checkpoints]") {
  const auto& t = chain_checkpoints();
  REQUIRE(t.size() >= 2);
  for (std::size_t i = 1; i < t.size(); ++i) {
    CHECK(t[i].height > t[i - 1].height);
    CHECK(t[i].time_unix_s > t[i - 1].time_unix_s);
  }
  bool h2020 = false, h2024 = false;
  for (const auto& c : t) {
    h2020 = h2020 || (c.height == 630000 && c.time_unix_s == *parse_utc("2020-05-11T19:23:43Z"));
    h2024 = h2024 || (c.height == 840000 && c.time_unix_s == *parse_utc("2024-04-20T00:09:27Z") && c.bits == 0x17034219);
  }
  CHECK(h2020);
  CHECK(h2024);
}

TEST_CASE("At a checkpoint's own time the state is the checkpoint's", "[bitcoin][checkpoints]") {
  const auto s = chain_state_at(*parse_utc("2024-04-20T00:09:27Z"));
  REQUIRE(s);
  CHECK(s->exact);
  CHECK(s->height == 840000);
  CHECK(std::floor(s->difficulty) == 86388558925171.0);
  CHECK(s->block_time_unix_s == *parse_utc("2024-04-20T00:09:27Z"));
  // 840,000 is 1344 blocks into the window that 838,656 opens, not a checkpoint here.
  CHECK_FALSE(s->window_start_time_unix_s);
  const auto h = chain_state_at(*parse_utc("2020-05-11T19:23:43Z"));
  REQUIRE(h);
  CHECK(h->exact);
  CHECK(h->height == 630000);
  CHECK(std::floor(h->difficulty) == 16104807485529.0);
}

TEST_CASE("Between checkpoints: height at their mean interval, the window's difficulty", "[bitcoin][checkpoints]") {
  // 2024-01-01 lies between 822,528 (2023-12-23 06:04:24, t = 1703311464) and 840,000
  // (t = 1713571767): 17,472 blocks in 10,260,303 s. 1704067200 − 1703311464 = 755,736 s
  // → floor(755736 · 17472 / 10260303) = 1286 blocks → height 823,814, in the window that
  // 822,528 opens (823,814 − 823,814 mod 2016 = 822,528): its difficulty, 72,006,146,478,567.1.
  const auto s = chain_state_at(*parse_utc("2024-01-01"));
  REQUIRE(s);
  CHECK_FALSE(s->exact);
  CHECK(s->height == 823814);
  CHECK(s->difficulty == difficulty_from_bits(0x1703e8b3));
  CHECK(std::floor(s->difficulty) == 72006146478567.0);
  // Its time: 1703311464 + floor(1286 · 10260303 / 17472) = 1704066658 (2023-12-31 23:50:58).
  CHECK(s->block_time_unix_s == 1704066658);
  CHECK(s->window_start_time_unix_s == 1703311464);
  // The real last block of 2023 is 823,785: the estimate is 29 blocks off.
  CHECK(std::abs(s->height - 823785) < 50);
}

TEST_CASE("Between checkpoints in neither's window: the difficulty is geometric in height", "[bitcoin][checkpoints]") {
  // 2024-03-01 (1709251200): floor(5939736 · 17472 / 10260303) = 10114 → height 832,642, window
  // 832,608; between the windows 822,528 and 838,656 at (832608 − 822528) / (838656 − 822528) = 0.625.
  const auto s = chain_state_at(*parse_utc("2024-03-01"));
  REQUIRE(s);
  CHECK(s->height == 832642);
  const double a = difficulty_from_bits(0x1703e8b3), b = difficulty_from_bits(0x17034219);
  CHECK(s->difficulty == Approx(a * std::pow(b / a, 0.625)).epsilon(1e-12));
  CHECK(s->difficulty == Approx(80686101460795.47).epsilon(1e-12));
  CHECK_FALSE(s->window_start_time_unix_s);
}

TEST_CASE("After the last checkpoint: extrapolated for a while, then nothing", "[bitcoin][checkpoints]") {
  const auto& last = chain_checkpoints().back();
  const auto& before = chain_checkpoints()[chain_checkpoints().size() - 2];
  const std::int64_t ten_days = 10 * 86400;
  const auto s = chain_state_at(last.time_unix_s + ten_days);
  REQUIRE(s);
  const std::int64_t blocks = last.height - before.height, seconds = last.time_unix_s - before.time_unix_s;
  CHECK(s->height == last.height + ten_days * blocks / seconds);
  CHECK(s->difficulty == difficulty_from_bits(last.bits));
  CHECK(chain_state_at(last.time_unix_s + kCheckpointReachDays * 86400));
  CHECK_FALSE(chain_state_at(last.time_unix_s + kCheckpointReachDays * 86400 + 1));
  CHECK_FALSE(chain_state_at(chain_checkpoints().front().time_unix_s - 1));
  CHECK(chain_state_at(chain_checkpoints().front().time_unix_s)->exact);
}
