#include <catch2/catch.hpp>

#include <string>

#include "power_harness.hpp"

using namespace power_test;
using hybridsim::sim::PowerPriceModel;
using hybridsim::sim::Rng;
using hybridsim::sim::SimTime;

namespace {
constexpr SimTime kH = 3600;
constexpr SimTime kD = 86400;

std::string table(int base) {
  std::string s = "[";
  for (int h = 0; h < 24; ++h) s += (h ? ", " : "") + std::to_string(base + h);
  return s + "]";
}

// Weekday price 10 + h, weekend 100 + h, month multiplier = month number, US Central (UTC−6).
// The epoch 2024-01-01T00:00Z is Sunday 2023-12-31 18:00 on the local clock.
std::string central() {
  return "{model: time_of_use, weekday_usd_per_mwh: " + table(10) + ", weekend_usd_per_mwh: " + table(100) +
         ", monthly_multiplier: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], utc_offset_hours: -6}";
}
}  // namespace

TEST_CASE("time_of_use: local hour, weekday/weekend and month, with an offset", "[power][tou]") {
  auto m = build(central());
  Rng rng(1);
  // Sunday 18:00 local, December: weekend table hour 18 × 12.
  auto s = m->step(0, rng);
  CHECK(s.usd_per_mwh == 118.0 * 12);
  CHECK(s.until_s == kH);  // 19:00 local
  // Sunday 23:00 local → Monday 00:00 local (06:00 UTC), December → January.
  s = m->step(5 * kH, rng);
  CHECK(s.usd_per_mwh == 123.0 * 12);
  CHECK(s.until_s == 6 * kH);
  s = m->step(6 * kH, rng);
  CHECK(s.usd_per_mwh == 10.0 * 1);
  CHECK(s.until_s == 7 * kH);
  // Friday 2024-01-05 23:00 local (Sat 05:00 UTC) → Saturday 00:00 local.
  s = m->step(5 * kD + 5 * kH, rng);
  CHECK(s.usd_per_mwh == 33.0);
  CHECK(s.until_s == 5 * kD + 6 * kH);
  CHECK(m->step(5 * kD + 6 * kH, rng).usd_per_mwh == 100.0);
  // Wednesday 2024-01-31 23:00 local → Thursday 2024-02-01 00:00 local: multiplier 1 → 2.
  s = m->step(31 * kD + 5 * kH, rng);
  CHECK(s.usd_per_mwh == 33.0);
  CHECK(s.until_s == 31 * kD + 6 * kH);
  CHECK(m->step(31 * kD + 6 * kH, rng).usd_per_mwh == 20.0);
  // A step asked mid-hour still ends at the next local hour.
  s = m->step(31 * kD + 6 * kH + 1234, rng);
  CHECK(s.usd_per_mwh == 20.0);
  CHECK(s.until_s == 31 * kD + 7 * kH);
}

TEST_CASE("time_of_use: steps merge hours of equal price, a flat table never changes", "[power][tou]") {
  // 20 from 23:00 to 07:00, 50 otherwise, every day, UTC.
  auto m = build("{model: time_of_use, usd_per_mwh: [20, 20, 20, 20, 20, 20, 20, 50, 50, 50, 50, 50, 50, 50, 50, 50, "
                 "50, 50, 50, 50, 50, 50, 50, 20]}");
  Rng rng(1);
  auto s = m->step(0, rng);
  CHECK(s.usd_per_mwh == 20.0);
  CHECK(s.until_s == 7 * kH);
  s = m->step(7 * kH, rng);
  CHECK(s.usd_per_mwh == 50.0);
  CHECK(s.until_s == 23 * kH);
  s = m->step(23 * kH, rng);
  CHECK(s.until_s == kD + 7 * kH);
  auto flat = build("{model: time_of_use, usd_per_mwh: [30,30,30,30,30,30,30,30,30,30,30,30,30,30,30,30,30,30,30,30,30,30,30,30]}");
  const auto f = flat->step(0, rng);
  CHECK(f.usd_per_mwh == 30.0);
  CHECK(f.until_s == PowerPriceModel::kNever);
}

TEST_CASE("time_of_use: a half-hour offset puts local hours at :30 UTC", "[power][tou]") {
  auto m = build("{model: time_of_use, usd_per_mwh: " + table(0) + ", utc_offset_hours: 5.5}");
  Rng rng(1);
  const auto s = m->step(0, rng);  // 05:30 local
  CHECK(s.usd_per_mwh == 5.0);
  CHECK(s.until_s == 1800);
}

TEST_CASE("time_of_use: parameter errors name the key and what is accepted", "[power][tou]") {
  CHECK_THROWS_WITH(build("{model: time_of_use, usd_per_mwh: [1, 2, 3]}"),
                    Catch::Contains("world.power_price.usd_per_mwh: 3 numbers; expected 24, one per hour of the local day from 00:00"));
  CHECK_THROWS_WITH(build("{model: time_of_use, weekday_usd_per_mwh: " + table(1) + "}"),
                    Catch::Contains("world.power_price.usd_per_mwh: missing; give usd_per_mwh (24 numbers), or both "
                                    "weekday_usd_per_mwh and weekend_usd_per_mwh"));
  CHECK_THROWS_WITH(build("{model: time_of_use, usd_per_mwh: " + table(1) + ", monthly_multiplier: [1, 2]}"),
                    Catch::Contains("world.power_price.monthly_multiplier: 2 numbers; expected 12, one per month from January"));
  CHECK_THROWS_WITH(build("{model: time_of_use, usd_per_mwh: " + table(1) + ", utc_offset_hours: 5.3}"),
                    Catch::Contains("world.power_price.utc_offset_hours: must be a whole number of quarter hours"));
  CHECK_THROWS_WITH(build("{model: time_of_use, usd_per_mwh: " + table(1) + ", utc_offset_hours: 15}"),
                    Catch::Contains("world.power_price.utc_offset_hours: 15 is out of range"));
}
