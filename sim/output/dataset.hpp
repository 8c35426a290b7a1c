#pragma once
/// The in-memory form of one run's results, independent of the file format.
///
/// A run is a set of time series on one `time` axis (seconds since the scenario epoch,
/// CF-encoded so that xarray decodes datetime64) plus tables such as the network's events
/// or the job table, each on a dimension of its own. Root attributes carry the resolved
/// scenario, the seed and the program version.
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace hybridsim::sim::output {

/// What a variable is: its name, its units (CF/UDUNITS spelling where there is one) and a
/// human-readable long name. `cell_methods` is CF's, e.g. "time: sum" for amounts accrued
/// over the recording interval that ends at each time stamp.
struct VariableInfo {
  std::string name;
  std::string units;
  std::string long_name;
  std::string cell_methods;
};

using ColumnData =
    std::variant<std::vector<double>, std::vector<std::int64_t>, std::vector<std::string>>;

struct Column {
  VariableInfo info;
  ColumnData data;
};

/// A table stored as its own HDF5 group; every column runs along `dimension` (an index
/// coordinate 0..n-1 of that name is written too). Columns whose units are
/// "seconds since ..." decode to datetimes.
struct Table {
  std::string group;      ///< e.g. "network_events"
  std::string dimension;  ///< e.g. "event"
  std::string long_name;
  std::vector<Column> columns;
};

using Attribute = std::variant<std::string, std::int64_t, double>;

struct RunDataset {
  std::string time_units;           ///< e.g. "seconds since 2024-01-01 00:00:00"
  std::vector<std::int64_t> time_s;  ///< the `time` coordinate
  std::vector<Column> series;       ///< each as long as time_s
  std::vector<Table> tables;
  std::vector<std::pair<std::string, Attribute>> attributes;  ///< root attributes
};

}  // namespace hybridsim::sim::output
