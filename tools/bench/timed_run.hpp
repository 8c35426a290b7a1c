#pragma once
/// One scenario through the real loader, Simulation and HDF5 writer, timed: what the `mining`
/// and `dispatch` benchmarks measure. The file goes to the temporary folder and is removed.
#include <chrono>
#include <cstdint>
#include <memory>

#include "sim/config/document.hpp"
#include "sim/run/simulation.hpp"

namespace hybridsim::bench {

struct TimedRun {
  std::unique_ptr<sim::Simulation> simulation;  ///< after its run (summary, engine)
  std::size_t samples = 0;                      ///< recorded time stamps
  double load_seconds = 0.0, run_seconds = 0.0, write_seconds = 0.0, total_seconds = 0.0;
  /// CPU time of the simulating thread inside Simulation::run() alone (CLOCK_THREAD_CPUTIME_ID):
  /// the simulation's own cost, whatever the writer thread and other processes do meanwhile.
  double run_cpu_seconds = 0.0;
  std::uintmax_t file_bytes = 0;
  double peak_rss_mb = 0.0;  ///< of the whole process (getrusage)
};

/// Loads `doc` (overrides already applied) with `seed`, runs it and writes it. `load_started`
/// is when reading the scenario began, so the load time includes parsing. Streamed (as
/// `hybridsim run` does): the series and the job table go to the file during the run, so
/// run_seconds includes the writing that did not overlap and write_seconds is what was
/// left to write after the run; buffered (`stream` false): the run then the file image.
TimedRun timed_run(sim::config::Document& doc, std::uint64_t seed,
                   std::chrono::steady_clock::time_point load_started, bool stream = true);

}  // namespace hybridsim::bench
