#pragma once
/// The benchmarks of `hybridsim-bench`: one CLI11 subcommand each.
///
/// Adding a benchmark is adding one file that defines its `add_*_bench` function, plus one
/// line in `kBenches` below.
#include <CLI/CLI.hpp>

namespace hybridsim::bench {

/// One benchmark: its subcommand name, one-line summary, and a function that declares the
/// subcommand's options on `sub` and sets its callback (which prints one JSON line).
struct BenchEntry {
  const char* name;
  const char* summary;
  void (*configure)(CLI::App& sub);
};

void configure_dispatch(CLI::App& sub);
void configure_hold(CLI::App& sub);
void configure_jobs(CLI::App& sub);
void configure_mining(CLI::App& sub);
void configure_sweep(CLI::App& sub);

inline constexpr BenchEntry kBenches[] = {
    {"hold", "classic hold model: the event engine against a bare std::priority_queue",
     &configure_hold},
    {"jobs", "AI part at scale: Poisson training jobs on a GPU cluster, FIFO or EASY backfill", &configure_jobs},
    {"mining", "a 10-year run of the 100 MW mining scenario: run, write, peak memory", &configure_mining},
    {"dispatch", "a 10-year 100 MW hybrid site on a 15-minute spot price under a dispatch policy: run, write, peak memory",
     &configure_dispatch},
    {"sweep", "N members of a 10-year hybrid facility recorded daily into one file: wall, write vs simulate, peak memory",
     &configure_sweep},
};

}  // namespace hybridsim::bench
