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

namespace {

// The k-th stamp of a `months`-month calendar interval from `start`, as a UTC date-time text.
std::string stamp(const char* start, int months, std::int64_t k) {
  const auto s = *parse_utc(start);
  return hybridsim::sim::format_utc(s + hybridsim::sim::calendar_stamp_s(s, months, k));
}

}  // namespace

TEST_CASE("calendar stamps keep the day of the month and the time of day", "[time]") {
  CHECK(stamp("2024-01-15", 1, 0) == "2024-01-15 00:00:00");
  CHECK(stamp("2024-01-15", 1, 1) == "2024-02-15 00:00:00");
  CHECK(stamp("2024-01-15", 1, 2) == "2024-03-15 00:00:00");
  CHECK(stamp("2024-01-15", 1, 12) == "2025-01-15 00:00:00");
  CHECK(stamp("2024-01-15T06:30:00Z", 3, 1) == "2024-04-15 06:30:00");
  CHECK(stamp("2024-11-15", 3, 1) == "2025-02-15 00:00:00");  // across the year end
  // 2024-01-15 + 1 month is 31 days, + 2 months 60 (2024 is a leap year).
  CHECK(hybridsim::sim::calendar_stamp_s(*parse_utc("2024-01-15"), 1, 1) == 31 * 86400);
  CHECK(hybridsim::sim::calendar_stamp_s(*parse_utc("2024-01-15"), 1, 2) == 60 * 86400);
}

TEST_CASE("a day the month lacks is clamped to its last day, counted from the start each time", "[time]") {
  CHECK(stamp("2024-01-31", 1, 1) == "2024-02-29 00:00:00");
  CHECK(stamp("2024-01-31", 1, 2) == "2024-03-31 00:00:00");  // back to the 31st, not the 29th
  CHECK(stamp("2024-01-31", 1, 3) == "2024-04-30 00:00:00");
  CHECK(stamp("2023-01-31", 1, 1) == "2023-02-28 00:00:00");
  CHECK(stamp("2024-02-29", 12, 1) == "2025-02-28 00:00:00");  // 1 year from a leap day
  CHECK(stamp("2024-02-29", 12, 4) == "2028-02-29 00:00:00");
  CHECK(stamp("2024-08-31", 6, 1) == "2025-02-28 00:00:00");
}

TEST_CASE("record_every accepts durations and whole calendar months and years", "[time]") {
  using hybridsim::sim::parse_record_interval;
  CHECK(parse_record_interval("1h")->seconds == 3600);
  CHECK(parse_record_interval("1h")->months == 0);
  CHECK(parse_record_interval("1 month")->months == 1);
  CHECK(parse_record_interval("3 months")->months == 3);
  CHECK(parse_record_interval("3months")->months == 3);
  CHECK(parse_record_interval("1 year")->months == 12);
  CHECK(parse_record_interval("2 years")->months == 24);
  CHECK(parse_record_interval("1 year")->seconds == 0);
  for (const char* bad : {"0 months", "-1 month", "1 week", "1 mo", "1.5 months", "month", "1 yr", "",
                          "10001 years", "1 month "})
    CHECK_FALSE(parse_record_interval(bad));
}
