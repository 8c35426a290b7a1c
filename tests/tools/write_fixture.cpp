// Writes a small, fixed RunDataset to the path on the command line, for the Python layout
// tests (tests/python/test_hdf5_layout.py holds the expected values; keep the two in step).
//
//   hybridsim-write-fixture <path>          four hourly steps, 2-D series, two tables
//   hybridsim-write-fixture <path> --empty  no time steps, tables with no rows
#include <cstdint>
#include <exception>
#include <iostream>
#include <string_view>
#include <vector>

#include "sim/output/dataset.hpp"
#include "sim/output/hdf5_writer.hpp"

namespace out = hybridsim::sim::output;

namespace {

out::RunDataset full_run() {
  out::RunDataset data;
  data.time_units = "seconds since 2024-01-01 00:00:00";
  data.time_s = {0, 3600, 7200, 10800};
  data.series = {
      {{"power", "W", "power drawn by the site", "time: mean"},
       std::vector<double>{1.5, 2.5, 3.25, 0.0}},
      // (time, hall), row-major: one row of {mining, hpc} per stamp.
      {{"hall_power_mw", "MW", "power drawn by each hall", "time: mean"},
       std::vector<double>{10.0, 2.0, 11.5, 2.5, 12.0, -0.5, 0.0, 4.0},
       out::Dimension{"hall", {"mining", "hpc"}}},
      {{"jobs_done", "1", "jobs completed", "time: sum"},
       std::vector<std::int64_t>{0, 3, 5, 2}},
      // (time, cohort): three cohorts, one with a non-ASCII label.
      {{"machines_running", "1", "machines running by cohort", ""},
       std::vector<std::int64_t>{100, 50, 0, 90, 50, 7, 80, 40, 7, 0, 0, 7},
       out::Dimension{"cohort", {"S19", "S21", "S21 \u00e9"}}},
      // A second variable on `hall`: the coordinate is still written once.
      {{"hall_energy_mwh", "MWh", "energy used by each hall", "time: sum"},
       std::vector<double>{0.0, 0.0, 11.0, 2.25, 11.75, 1.0, 6.0, 1.75},
       out::Dimension{"hall", {"mining", "hpc"}}},
      {{"phase", "", "operating phase", ""},
       std::vector<std::string>{"warmup", "run", "run", "cooldown \u00b0"}},
  };
  data.tables = {
      {"network_events", "event", "network events",
       {{{"time", "seconds since 2024-01-01 00:00:00", "time of the event", ""},
         std::vector<std::int64_t>{60, 4000}},
        {{"node", "", "node that raised the event", ""},
         std::vector<std::string>{"a", "b"}},
        {{"bytes", "By", "bytes sent", ""}, std::vector<std::int64_t>{100, 2048}}}},
      {"jobs", "job", "job table",
       {{{"submit_time", "seconds since 2024-01-01 00:00:00", "time the job was submitted", ""},
         std::vector<std::int64_t>{0, 1800, 5400}},
        {{"runtime", "s", "time the job ran", ""}, std::vector<double>{10.5, 20.0, 0.25}}}},
  };
  data.attributes = {
      {"scenario", std::string("name: fixture\nseed: 42\n")},
      {"seed", std::int64_t{42}},
      {"load_factor", 0.75},
      {"version", std::string("0.1.0")},
  };
  return data;
}

out::RunDataset empty_run() {
  auto data = full_run();
  data.time_s.clear();
  for (auto& column : data.series) {
    std::visit([](auto& values) { values.clear(); }, column.data);
  }
  for (auto& table : data.tables) {
    for (auto& column : table.columns) {
      std::visit([](auto& values) { values.clear(); }, column.data);
    }
  }
  return data;
}

}  // namespace

int main(int argc, char** argv) {
  const bool empty = argc == 3 && std::string_view(argv[2]) == "--empty";
  if (argc < 2 || argc > 3 || (argc == 3 && !empty)) {
    std::cerr << "usage: hybridsim-write-fixture <path> [--empty]\n";
    return 2;
  }
  try {
    out::write_run_hdf5(argv[1], empty ? empty_run() : full_run());
  } catch (const std::exception& error) {
    std::cerr << "hybridsim-write-fixture: " << error.what() << '\n';
    return 1;
  }
  return 0;
}
