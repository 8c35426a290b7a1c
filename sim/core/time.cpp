#include "sim/core/time.hpp"

#include <chrono>

#include <charconv>
#include <cstdio>

namespace hybridsim::sim {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

bool read_int(std::string_view s, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > s.size()) return false;
  for (std::size_t i = pos; i < pos + len; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  std::from_chars(s.data() + pos, s.data() + pos + len, out);
  return true;
}

bool days_in_month_ok(int y, int m, int d) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

// Reads a UTC offset `+HH:MM`, `+HHMM` or `+HH` (or `-`), as seconds east of UTC.
std::optional<std::int64_t> parse_offset(std::string_view s) {
  if (s.empty() || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  const std::int64_t sign = s[0] == '-' ? -1 : 1;
  int h = 0, m = 0;
  bool ok = false;
  if (s.size() == 3) ok = read_int(s, 1, 2, h);
  else if (s.size() == 5) ok = read_int(s, 1, 2, h) && read_int(s, 3, 2, m);
  else if (s.size() == 6) ok = read_int(s, 1, 2, h) && s[3] == ':' && read_int(s, 4, 2, m);
  // Real offsets run from -12:00 to +14:00; anything beyond is a typo, not a zone.
  if (!ok || h > 14 || m > 59 || (h == 14 && m > 0)) return std::nullopt;
  return sign * (h * kSecondsPerHour + m * kSecondsPerMinute);
}

}  // namespace

std::optional<std::int64_t> parse_utc(std::string_view s) {
  std::int64_t offset_s = 0;
  const bool zulu = !s.empty() && (s.back() == 'Z' || s.back() == 'z');
  if (zulu) s.remove_suffix(1);
  // An offset can only follow a time of day: the date's own '-' are at positions 4 and 7.
  if (s.size() > 11) {
    const auto sign = s.find_first_of("+-", 11);
    if (sign != std::string_view::npos) {
      if (zulu) return std::nullopt;  // `Z` and an offset contradict each other
      const auto off = parse_offset(s.substr(sign));
      if (!off) return std::nullopt;
      offset_s = *off;
      s = s.substr(0, sign);
    }
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  if (!read_int(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !read_int(s, 5, 2, mo) ||
      s[7] != '-' || !read_int(s, 8, 2, d))
    return std::nullopt;
  if (!days_in_month_ok(y, mo, d)) return std::nullopt;
  if (s.size() > 10) {
    if ((s[10] != 'T' && s[10] != ' ') || !read_int(s, 11, 2, h) || s.size() < 16 || s[13] != ':' ||
        !read_int(s, 14, 2, mi))
      return std::nullopt;
    if (s.size() > 16) {
      if (s.size() != 19 || s[16] != ':' || !read_int(s, 17, 2, se)) return std::nullopt;
    }
    if (h > 23 || mi > 59 || se > 59) return std::nullopt;
  }
  // A local time at offset +02:00 is two hours ahead of UTC: subtract the offset.
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * kSecondsPerDay +
         h * kSecondsPerHour + mi * kSecondsPerMinute + se - offset_s;
}

CivilTime civil_from_unix(std::int64_t unix_s) {
  std::int64_t days = unix_s / kSecondsPerDay;
  std::int64_t rem = unix_s % kSecondsPerDay;
  if (rem < 0) {
    rem += kSecondsPerDay;
    --days;
  }
  CivilTime c;
  unsigned m = 0, d = 0;
  civil_from_days(days, c.year, m, d);
  c.month = static_cast<int>(m);
  c.day = static_cast<int>(d);
  c.hour = static_cast<int>(rem / kSecondsPerHour);
  c.minute = static_cast<int>(rem / kSecondsPerMinute % 60);
  c.second = static_cast<int>(rem % 60);
  // 1970-01-01 was a Thursday (3 with Monday = 0); floor modulo keeps days before 1970 right.
  c.weekday = static_cast<int>(((days + 3) % 7 + 7) % 7);
  return c;
}

std::string format_utc(std::int64_t unix_s) {
  std::int64_t days = unix_s / kSecondsPerDay;
  std::int64_t rem = unix_s % kSecondsPerDay;
  if (rem < 0) {
    rem += kSecondsPerDay;
    --days;
  }
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02lld:%02lld:%02lld", static_cast<long long>(y), m,
                d, static_cast<long long>(rem / 3600), static_cast<long long>(rem / 60 % 60),
                static_cast<long long>(rem % 60));
  return buf;
}

std::optional<SimTime> parse_duration(std::string_view s) {
  if (s.empty()) return std::nullopt;
  SimTime unit = 1;
  switch (s.back()) {
    case 's': unit = 1; s.remove_suffix(1); break;
    case 'm': unit = kSecondsPerMinute; s.remove_suffix(1); break;
    case 'h': unit = kSecondsPerHour; s.remove_suffix(1); break;
    case 'd': unit = kSecondsPerDay; s.remove_suffix(1); break;
    case 'w': unit = 7 * kSecondsPerDay; s.remove_suffix(1); break;
    default: break;
  }
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc{} || end != s.data() + s.size() || n <= 0) return std::nullopt;
  SimTime seconds = 0;
  if (__builtin_mul_overflow(n, unit, &seconds) || seconds > kMaxDuration) return std::nullopt;
  return seconds;
}

std::optional<RecordInterval> parse_record_interval(std::string_view text) {
  if (const auto seconds = parse_duration(text)) return RecordInterval{*seconds, 0};
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || n <= 0) return std::nullopt;
  std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  int per = 0;
  if (unit == "month" || unit == "months") per = 1;
  if (unit == "year" || unit == "years") per = 12;
  // At most 10,000 years, as parse_duration.
  if (per == 0 || n > 10000 * 12 / per) return std::nullopt;
  return RecordInterval{0, static_cast<int>(n) * per};
}

SimTime calendar_stamp_s(std::int64_t start_unix_s, int months, std::int64_t k) {
  using namespace std::chrono;
  const sys_seconds start{seconds{start_unix_s}};
  const sys_days start_day = floor<days>(start);
  const year_month_day ymd{start_day};
  const year_month target = year_month{ymd.year(), ymd.month()} + std::chrono::months{months * k};
  const day last = year_month_day_last{target.year(), month_day_last{target.month()}}.day();
  const sys_days stamp_day{target / std::min(ymd.day(), last)};
  return (stamp_day + (start - start_day)).time_since_epoch().count() - start_unix_s;
}

}  // namespace hybridsim::sim
