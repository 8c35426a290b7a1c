#pragma once
/// The in-memory form of one run's results, independent of the file format.
///
/// A run is a set of time series on one `time` axis (seconds since the scenario epoch,
/// CF-encoded so that xarray decodes datetime64) plus tables such as the network's events
/// or the job table, each on a dimension of its own. A series may have a second axis, a
/// named dimension with string labels (per hall, per cohort), so that one variable holds
/// what would otherwise be one column per label. Root attributes carry the resolved
/// scenario, the seed and the program version.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace hybridsim::sim::output {

/// What a variable is: its name, its units (CF/UDUNITS spelling where there is one) and a
/// human-readable long name. `cell_methods` is CF's, e.g. "time: sum" for amounts accrued
/// over the recording interval that ends at each time stamp. A cash flow names its ledger
/// `account` and its `cash_sign` (+1 inflow, −1 outflow): cash = initial cash +
/// Σ cash_sign · Σ_time flow over the variables with an account (sim/core/ledger.hpp).
// Every member has a default, so that {name, units, long_name} leaves the rest empty
// (and -Wmissing-field-initializers has nothing to say about it).
struct VariableInfo {
  std::string name{};
  std::string units{};
  std::string long_name{};
  std::string cell_methods{};
  std::string account{};       ///< empty: not a cash flow (written only when set)
  int cash_sign = 0;           ///< +1 or −1 with an account
  std::string account_kind{};  ///< revenue, operating_cost, capital, financing or treasury
  /// CF `coordinates`: names of the other columns of its table that label its rows (the
  /// table's time columns), so that xarray shows them as coordinates. Empty: none.
  std::string coordinates{};

  bool operator==(const VariableInfo&) const = default;
};

using ColumnData =
    std::variant<std::vector<double>, std::vector<std::int64_t>, std::vector<std::string>>;

/// A dimension whose coordinate is a list of string labels, e.g. "hall" with labels
/// {"mining", "hpc"}. The file holds it once, as a coordinate variable named `name`,
/// whichever variables use it.
struct Dimension {
  std::string name;
  std::vector<std::string> labels;

  bool operator==(const Dimension&) const = default;
};

/// Units of the time columns of tables: int64 nanoseconds since the Unix epoch, numpy's
/// datetime64[ns], so that a missing time is numpy's NaT (kNoTime) and xarray decodes it as
/// NaT without the float round trip (and the warning) a `_FillValue` or a NaN would cause.
inline constexpr const char* kTableTimeUnits = "nanoseconds since 1970-01-01 00:00:00";
/// A time a row does not have (a job never started, a contract not ended): NaT.
inline constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();
/// The table value of `t_s` seconds after the run's start `start_unix_s` (the scenario
/// keeps every run inside 1900..2262, so this cannot overflow).
inline std::int64_t table_time(std::int64_t start_unix_s, std::int64_t t_s) {
  return (start_unix_s + t_s) * 1'000'000'000;
}

struct Column {
  VariableInfo info;
  ColumnData data;
  /// For a series on (time, second): its second axis. `data` then holds
  /// `labels.size()` values per time stamp, row-major (time-major): element
  /// `t * labels.size() + i` is label i at time stamp t. Empty for a 1-D series; table
  /// columns are always 1-D.
  std::optional<Dimension> second = std::nullopt;
};

/// A table stored as its own HDF5 group; every column runs along `dimension` (an index
/// coordinate 0..n-1 of that name is written too). Columns whose units are
/// "seconds since ..." decode to datetimes.
struct Table {
  std::string group;      ///< e.g. "network_events"
  std::string dimension;  ///< e.g. "event"
  std::string long_name;
  std::vector<Column> columns;

  /// Makes the named columns the table's coordinates: every other column lists them in its
  /// CF `coordinates` attribute.
  void set_coordinates(const std::string& names) {
    for (auto& c : columns)
      if ((" " + names + " ").find(" " + c.info.name + " ") == std::string::npos) c.info.coordinates = names;
  }
};

using Attribute = std::variant<std::string, std::int64_t, double, std::uint64_t>;  // uint64: the seed

struct RunDataset {
  std::string time_units;           ///< e.g. "seconds since 2024-01-01 00:00:00"
  std::vector<std::int64_t> time_s;  ///< the `time` coordinate
  /// Each as long as time_s, times the number of labels of its second dimension if it has
  /// one. Series sharing a dimension (by name) must give it the same labels.
  std::vector<Column> series;
  std::vector<Table> tables;
  std::vector<std::pair<std::string, Attribute>> attributes;  ///< root attributes
};

}  // namespace hybridsim::sim::output
