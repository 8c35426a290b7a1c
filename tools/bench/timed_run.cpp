#include "tools/bench/timed_run.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include <fmt/core.h>

#include "models/catalogue.hpp"
#include "sim/core/thread_cpu_clock.hpp"
#include "sim/output/hdf5_writer.hpp"
#include "sim/output/output_file.hpp"
#include "sim/output/stream_writer.hpp"
#include "sim/run/scenario.hpp"

namespace hybridsim::bench {
using sim::thread_cpu_seconds;

TimedRun timed_run(sim::config::Document& doc, std::uint64_t seed,
                   std::chrono::steady_clock::time_point load_started, bool stream) {
  using clock = std::chrono::steady_clock;
  const auto seconds = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  TimedRun r;
  const sim::Scenario scenario = sim::load_scenario(doc, models::plugins(), seed);
  const auto t1 = clock::now();
  r.simulation = std::make_unique<sim::Simulation>(scenario);
  const auto path = std::filesystem::temp_directory_path() / fmt::format("hybridsim-bench-{}.h5", getpid());
  auto t2 = t1;
  {
    sim::output::OutputFile file(path);
    if (stream) {
      sim::output::StreamWriter writer(file.temporary());
      r.simulation->stream_to(writer);
      r.simulation->set_progress_observer([&r](sim::SimTime) { ++r.samples; });
      const double c0 = thread_cpu_seconds();
      const sim::output::RunDataset layout = r.simulation->run();
      r.run_cpu_seconds = thread_cpu_seconds() - c0;
      t2 = clock::now();
      writer.finish(layout.attributes);
      file.commit_written();
    } else {
      const double c0 = thread_cpu_seconds();
      const sim::output::RunDataset data = r.simulation->run();
      r.run_cpu_seconds = thread_cpu_seconds() - c0;
      r.samples = data.time_s.size();
      t2 = clock::now();
      file.commit(sim::output::run_hdf5_image(data));
    }
  }
  const auto t3 = clock::now();
  r.file_bytes = std::filesystem::file_size(path);
  std::filesystem::remove(path);
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
