// A whole mining run at scale: the default 100 MW scenario over 10 years with Poisson blocks,
// a GBM price and hourly recording, through the real loader, engine and HDF5 writer.
// Prints wall time of the run and of the write, events per second and the peak resident
// memory of the process (getrusage).
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "models/catalogue.hpp"
#include "sim/config/document.hpp"
#include "sim/output/hdf5_writer.hpp"
#include "sim/run/scenario.hpp"
#include "sim/run/simulation.hpp"
#include "tools/bench/benches.hpp"

namespace hybridsim::bench {
namespace {

struct MiningOptions {
  std::string scenario = "scenarios/default.yaml";
  double years = 10;
  std::string record_every = "1h";
  std::uint64_t seed = 1;
};

void run_mining(const MiningOptions& o) {
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  auto doc = sim::config::Document::load_file(o.scenario);
  doc.set("horizon_years=" + std::to_string(o.years));
  doc.set("record_every=" + o.record_every);
  const sim::Scenario scenario = sim::load_scenario(doc, hybridsim::models::plugins(), o.seed);
  const double start_height = doc.root()["world"]["bitcoin"]["start_height"].as<double>();
  const auto t1 = clock::now();
  sim::Simulation simulation(scenario);
  const sim::output::RunDataset data = simulation.run();
  const auto t2 = clock::now();
  const auto path = std::filesystem::temp_directory_path() / fmt::format("hybridsim-bench-{}.h5", getpid());
  sim::output::write_run_hdf5(path, data);
  const auto t3 = clock::now();
  const auto bytes = std::filesystem::file_size(path);
  std::filesystem::remove(path);

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  const double run_s = seconds(t1, t2);
  fmt::print(
      "{{\"bench\":\"mining\",\"years\":{},\"record_every\":\"{}\",\"samples\":{},\"events\":{},\"blocks\":{},"
      "\"load_seconds\":{:.4f},\"run_seconds\":{:.4f},\"write_seconds\":{:.4f},\"total_seconds\":{:.4f},"
      "\"events_per_s\":{:.0f},\"file_bytes\":{},\"peak_rss_mb\":{:.1f}}}\n",
      o.years, o.record_every, data.time_s.size(), simulation.summary().events,
      simulation.summary().value("final_height") - start_height, seconds(t0, t1), run_s, seconds(t2, t3),
      seconds(t0, t3), static_cast<double>(simulation.summary().events) / run_s, bytes,
      static_cast<double>(usage.ru_maxrss) / 1024.0);
}

}  // namespace

void configure_mining(CLI::App& sub) {
  auto opts = std::make_shared<MiningOptions>();
  sub.add_option("--scenario", opts->scenario, "scenario file (default scenarios/default.yaml)");
  sub.add_option("--years", opts->years, "horizon in years (default 10)");
  sub.add_option("--record-every", opts->record_every, "recording interval (default 1h)");
  sub.add_option("--seed", opts->seed, "seed (default 1)");
  sub.callback([opts] { run_mining(*opts); });
}

}  // namespace hybridsim::bench
