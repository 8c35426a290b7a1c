#include <catch2/catch.hpp>

#include "power_harness.hpp"

using namespace power_test;
using hybridsim::sim::PowerPriceModel;
using hybridsim::sim::Rng;

namespace {
constexpr std::int64_t kH = 3600;
}

TEST_CASE("csv power: each row held until the next, last value held after the file", "[power][csv]") {
  TempDir dir("power-csv");
  // Starts an hour before the epoch; the value column is chosen by name.
  dir.write("hourly.csv",
            "time,load_mw,lmp\n2023-12-31T23:00:00Z,1,99\n2024-01-01T00:00:00Z,2,31.5\n"
            "2024-01-01T01:00:00Z,3,-4\n2024-01-01T02:00:00Z,4,45\n");
  auto m = build("{model: csv, path: hourly.csv, column: lmp}", context(k2024_01_01, dir.path.string()));
  Rng rng(1);
  const Rng before = rng;
  auto s = m->step(0, rng);
  CHECK(s.usd_per_mwh == 31.5);
  CHECK(s.until_s == kH);
  s = m->step(kH, rng);
  CHECK(s.usd_per_mwh == -4.0);
  CHECK(s.until_s == 2 * kH);
  s = m->step(2 * kH, rng);
  CHECK(s.usd_per_mwh == 45.0);
  CHECK(s.until_s == PowerPriceModel::kNever);
  CHECK(rng == before);
  // An epoch between rows starts with the row in force.
  auto mid = build("{model: csv, path: hourly.csv, column: lmp}", context(k2024_01_01 + 1800, dir.path.string()));
  s = mid->step(0, rng);
  CHECK(s.usd_per_mwh == 31.5);
  CHECK(s.until_s == 1800);
}

TEST_CASE("csv power: a 15-minute file with named date column and UTC offsets", "[power][csv]") {
  TempDir dir("power-csv15");
  dir.write("q.csv",
            "zone,interval_start,price\nHB_NORTH,2024-01-01 01:00:00+01:00,20\nHB_NORTH,2024-01-01 00:15:00+00:00,21\n"
            "HB_NORTH,2023-12-31 18:30:00-06:00,22\nHB_NORTH,2024-01-01T00:45:00Z,23\n");
  auto m = build("{model: csv, path: q.csv, date_column: interval_start, column: price}", context(k2024_01_01, dir.path.string()));
  Rng rng(1);
  hybridsim::sim::SimTime t = 0;
  for (double want : {20.0, 21.0, 22.0, 23.0}) {
    const auto s = m->step(t, rng);
    CHECK(s.usd_per_mwh == want);
    t = s.until_s;
  }
  CHECK(t == PowerPriceModel::kNever);
}

TEST_CASE("csv power: errors name the file and row", "[power][csv]") {
  TempDir dir("power-csverr");
  const auto ctx = context(k2024_01_01, dir.path.string());
  const std::string gap = dir.write("gap.csv", "time,p\n2024-01-01T00:00Z,1\n2024-01-01T01:00Z,2\n2024-01-01T02:00Z,3\n2024-01-01T04:00Z,4\n");
  CHECK_THROWS_WITH(build("{model: csv, path: gap.csv}", ctx),
                    Catch::Contains("world.power_price.path: " + gap +
                                    ":5: gap of 2h after 2024-01-01 02:00:00 UTC on line 4; rows must be at most 1h apart "
                                    "(the file's interval, its most common row spacing)"));
  const std::string order = dir.write("order.csv", "2024-01-01T00:00Z,1\n2024-01-01T02:00Z,2\n2024-01-01T01:00Z,3\n");
  CHECK_THROWS_WITH(build("{model: csv, path: order.csv}", ctx),
                    Catch::Contains(order + ":3: date 2024-01-01T01:00Z is before 2024-01-01 02:00:00 UTC on line 2 (dates must increase)"));
  const std::string dup = dir.write("dup.csv", "2024-01-01T00:00Z,1\n2024-01-01 00:00:00,2\n");
  CHECK_THROWS_WITH(build("{model: csv, path: dup.csv}", ctx),
                    Catch::Contains(dup + ":2: date 2024-01-01 00:00:00 repeats the date of line 1 (each date must appear once)"));
  const std::string bad = dir.write("bad.csv", "time,p\n2024-01-01T00:00Z,1\n2024-01-01T01:00Z\n");
  CHECK_THROWS_WITH(build("{model: csv, path: bad.csv}", ctx),
                    Catch::Contains(bad + ":3: expected at least 2 fields (date and value), got 1: '2024-01-01T01:00Z'"));
  const std::string inf = dir.write("inf.csv", "time,p\n2024-01-01T00:00Z,inf\n");
  CHECK_THROWS_WITH(build("{model: csv, path: inf.csv}", ctx), Catch::Contains(inf + ":2: value 'inf' is not a finite number"));
  std::filesystem::create_directory(dir.path / "folder.csv");
  CHECK_THROWS_WITH(build("{model: csv, path: folder.csv}", ctx),
                    Catch::Contains((dir.path / "folder.csv").string() + ": is a folder, not a CSV file"));
  const std::string empty = dir.write("empty.csv", "time,p\n\n");
  CHECK_THROWS_WITH(build("{model: csv, path: empty.csv}", ctx), Catch::Contains(empty + ": no data rows"));
  const std::string late = dir.write("late.csv", "2024-01-01T01:00Z,1\n");
  CHECK_THROWS_WITH(build("{model: csv, path: late.csv}", ctx),
                    Catch::Contains("world.power_price.path: " + late +
                                    " starts at 2024-01-01 01:00:00 UTC, after the scenario's start 2024-01-01 00:00:00 UTC; "
                                    "accepted: a file with a row at or before the start"));
  CHECK_THROWS_WITH(build("{model: csv, path: gap.csv, column: price}", ctx),
                    Catch::Contains(gap + ":1: no column named 'price' in the header"));
}
