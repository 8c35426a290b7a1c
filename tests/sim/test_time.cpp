#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>

#include "sim/core/time.hpp"

using hybridsim::sim::civil_from_unix;
using hybridsim::sim::parse_utc;

namespace {
constexpr std::int64_t k2024_01_01 = 1'704'067'200;  // 2024-01-01T00:00:00Z
}

TEST_CASE("parse_utc keeps every form it accepted before", "[time]") {
  CHECK(parse_utc("2024-01-01") == k2024_01_01);
  CHECK(parse_utc("2024-01-01T00:00") == k2024_01_01);
  CHECK(parse_utc("2024-01-01T00:00Z") == k2024_01_01);
  CHECK(parse_utc("2024-01-01T01:02:03Z") == k2024_01_01 + 3723);
  CHECK(parse_utc("2024-01-01t01:02:03z") == std::nullopt);  // a lower-case T never was accepted
  CHECK(parse_utc("2024-01-01T01:02:03z") == k2024_01_01 + 3723);
  CHECK(parse_utc("1969-12-31T23:59:59Z") == -1);
}

TEST_CASE("parse_utc reads a space separator and UTC offsets", "[time]") {
  CHECK(parse_utc("2024-01-01 00:00:00") == k2024_01_01);
  CHECK(parse_utc("2024-01-01 00:00:00+00:00") == k2024_01_01);
  CHECK(parse_utc("2024-01-01 06:30:00-00:00") == k2024_01_01 + 6 * 3600 + 1800);
  // Local midnight two hours east of Greenwich is 22:00 UTC the day before.
  CHECK(parse_utc("2024-01-01T00:00:00+02:00") == k2024_01_01 - 7200);
  CHECK(parse_utc("2024-01-01T00:00:00-05:30") == k2024_01_01 + 5 * 3600 + 1800);
  CHECK(parse_utc("2024-01-01T00:00+0200") == k2024_01_01 - 7200);
  CHECK(parse_utc("2024-01-01 00:00:00+02") == k2024_01_01 - 7200);
  CHECK(parse_utc("2024-01-01T00:00:00+14:00") == k2024_01_01 - 14 * 3600);
  CHECK(parse_utc("2024-01-01T00:00:00-12:00") == k2024_01_01 + 12 * 3600);
}

TEST_CASE("parse_utc rejects malformed dates and offsets", "[time]") {
  for (const char* bad : {"", "2024-1-01", "2024-13-01", "2023-02-29", "2024-01-01T24:00", "2024-01-01T00:60",
                          "2024-01-01+02:00",             // an offset needs a time of day
                          "2024-01-01T00:00:00+02:00Z",   // Z and an offset contradict
                          "2024-01-01T00:00:00+",         // no digits
                          "2024-01-01T00:00:00+2:00",     // one-digit hour
                          "2024-01-01T00:00:00+02:60",    // minutes out of range
                          "2024-01-01T00:00:00+15:00",    // beyond any real zone
                          "2024-01-01T00:00:00+02:00:00", "2024-01-01T00:00:00 +02:00", "2024-01-01X00:00"}) {
    INFO(bad);
    CHECK(parse_utc(bad) == std::nullopt);
  }
}

TEST_CASE("civil_from_unix gives calendar fields and the weekday", "[time]") {
  const auto leap = civil_from_unix(*parse_utc("2024-02-29T13:45:07Z"));
  CHECK(leap.year == 2024);
  CHECK(leap.month == 2);
  CHECK(leap.day == 29);
  CHECK(leap.hour == 13);
  CHECK(leap.minute == 45);
  CHECK(leap.second == 7);
  CHECK(leap.weekday == 3);  // a Thursday
  CHECK(civil_from_unix(k2024_01_01).weekday == 0);  // a Monday
  CHECK(civil_from_unix(k2024_01_01 - 1).weekday == 6);
  const auto before = civil_from_unix(-1);  // 1969-12-31T23:59:59, a Wednesday
  CHECK(before.year == 1969);
  CHECK(before.month == 12);
  CHECK(before.day == 31);
  CHECK(before.hour == 23);
  CHECK(before.second == 59);
  CHECK(before.weekday == 2);
}

TEST_CASE("durations that overflow or exceed 10,000 years are refused", "[time]") {
  using hybridsim::sim::parse_duration;
  CHECK_FALSE(parse_duration("9223372036854775807w"));
  CHECK_FALSE(parse_duration("9223372036854775807s"));
  CHECK_FALSE(parse_duration("600000w"));  // 11,500 years
  CHECK(parse_duration("520000w") == std::int64_t{520000} * 7 * 86400);
}
