#pragma once
/// Simulated time: an integer count of seconds since the scenario's epoch (UTC).
/// Integer time keeps event order and accruals exact over decades; conversions to
/// calendar dates happen only at the edges (scenario input, HDF5 output).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hybridsim::sim {

using SimTime = std::int64_t;  ///< seconds since the scenario epoch

inline constexpr SimTime kSecondsPerMinute = 60;
inline constexpr SimTime kSecondsPerHour = 3600;
inline constexpr SimTime kSecondsPerDay = 86400;
/// A Julian year (365.25 days): the unit of every `*_per_year` rate in the models.
inline constexpr SimTime kSecondsPerYear = 31557600;

/// Seconds since 1970-01-01T00:00:00Z of an ISO-8601 instant: `YYYY-MM-DD` (midnight UTC), or
/// `YYYY-MM-DD` then `T` or a space then `HH:MM[:SS]`, optionally followed by `Z` (UTC) or a UTC
/// offset `+HH:MM`, `-HH:MM`, `+HHMM` or `+HH` (up to ±14:00). Without `Z` or an offset the time
/// is UTC. With an offset the local time is converted: `2024-01-01T02:00:00+02:00` is
/// 2024-01-01T00:00:00Z. Empty when malformed (or out of range: month 13, 24:00, +15:00).
std::optional<std::int64_t> parse_utc(std::string_view text);

/// A calendar date and time of day, proleptic Gregorian.
struct CivilTime {
  std::int64_t year = 1970;
  int month = 1;    ///< 1–12
  int day = 1;      ///< 1–31
  int hour = 0;     ///< 0–23
  int minute = 0;
  int second = 0;
  int weekday = 3;  ///< 0 = Monday … 5 = Saturday, 6 = Sunday
};

/// The calendar fields of seconds since the Unix epoch. Pass `unix_s + offset` for a local clock.
CivilTime civil_from_unix(std::int64_t unix_s);

/// `YYYY-MM-DD HH:MM:SS` for seconds since the Unix epoch (the form CF `units` wants).
std::string format_utc(std::int64_t unix_s);

/// Longest duration parse_duration accepts: 10,000 Julian years (far beyond any horizon, far
/// below the engine's last event time, so sums of a time and a duration cannot overflow).
inline constexpr SimTime kMaxDuration = 10000 * kSecondsPerYear;

/// A duration such as `90s`, `15m`, `1h`, `1d`, `2w` or a bare number of seconds.
/// Empty when malformed, not positive or longer than kMaxDuration.
std::optional<SimTime> parse_duration(std::string_view text);

/// A recording interval: a fixed number of seconds, or a whole number of calendar months
/// (`1 month`, `3 months`; `1 year` is 12 months).
struct RecordInterval {
  SimTime seconds = 0;  ///< fixed interval; 0 when calendar
  int months = 0;       ///< calendar interval; 0 when fixed
};

/// Parses `record_every`: a duration (parse_duration) or `N month`, `N months`, `N year`,
/// `N years` (N ≥ 1, a space optional). Empty when malformed.
std::optional<RecordInterval> parse_record_interval(std::string_view text);

/// Seconds from `start_unix_s` to the k-th calendar stamp (k ≥ 0; k = 0 is the start) of a
/// `months`-month interval: the same day of the month and time of day k·months months later
/// (std::chrono::year_month_day arithmetic, proleptic Gregorian, UTC). A day the target month
/// lacks (the 29th–31st) is clamped to the month's last day, always counted from the start
/// date, so a run from January 31 is stamped Feb 29 (or 28), Mar 31, Apr 30, May 31, ...
SimTime calendar_stamp_s(std::int64_t start_unix_s, int months, std::int64_t k);

}  // namespace hybridsim::sim
