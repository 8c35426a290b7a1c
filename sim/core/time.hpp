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

/// Seconds since 1970-01-01T00:00:00Z of an ISO-8601 UTC instant: `YYYY-MM-DD`,
/// `YYYY-MM-DDTHH:MM[:SS]` with an optional trailing `Z`. Empty when malformed.
std::optional<std::int64_t> parse_utc(std::string_view text);

/// `YYYY-MM-DD HH:MM:SS` for seconds since the Unix epoch (the form CF `units` wants).
std::string format_utc(std::int64_t unix_s);

/// A duration such as `90s`, `15m`, `1h`, `1d`, `2w` or a bare number of seconds.
/// Empty when malformed or not positive.
std::optional<SimTime> parse_duration(std::string_view text);

}  // namespace hybridsim::sim
