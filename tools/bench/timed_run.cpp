#include "tools/bench/timed_run.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include <fmt/core.h>

#include "models/catalogue.hpp"
#include "sim/output/hdf5_writer.hpp"
#include "sim/run/scenario.hpp"

namespace hybridsim::bench {

TimedRun timed_run(sim::config::Document& doc, std::uint64_t seed,
                   std::chrono::steady_clock::time_point load_started) {
  using clock = std::chrono::steady_clock;
  const auto seconds = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  TimedRun r;
  const sim::Scenario scenario = sim::load_scenario(doc, models::plugins(), seed);
  const auto t1 = clock::now();
  r.simulation = std::make_unique<sim::Simulation>(scenario);
  const sim::output::RunDataset data = r.simulation->run();
  const auto t2 = clock::now();
  const auto path = std::filesystem::temp_directory_path() / fmt::format("hybridsim-bench-{}.h5", getpid());
  sim::output::write_run_hdf5(path, data);
  const auto t3 = clock::now();
  r.file_bytes = std::filesystem::file_size(path);
  std::filesystem::remove(path);
  r.samples = data.time_s.size();
  r.load_seconds = seconds(load_started, t1);
  r.run_seconds = seconds(t1, t2);
  r.write_seconds = seconds(t2, t3);
  r.total_seconds = seconds(load_started, t3);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  r.peak_rss_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
  return r;
}

}  // namespace hybridsim::bench
