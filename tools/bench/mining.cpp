// A whole mining run at scale: the default 100 MW scenario over 10 years with Poisson blocks,
// a GBM price and hourly recording, through the real loader, engine and HDF5 writer.
// Prints wall time of the run and of the write, events per second and the peak resident
// memory of the process (getrusage).

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "sim/config/document.hpp"
#include "sim/run/scenario.hpp"
#include "sim/run/simulation.hpp"
#include "tools/bench/benches.hpp"
#include "tools/bench/timed_run.hpp"

namespace hybridsim::bench {
namespace {

struct MiningOptions {
  std::string scenario = "scenarios/default.yaml";
  double years = 10;
  std::string record_every = "1h";
  std::uint64_t seed = 1;
  bool buffered = false;
};

void run_mining(const MiningOptions& o) {
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  auto doc = sim::config::Document::load_file(o.scenario);
  doc.set("horizon_years=" + std::to_string(o.years));
  doc.set("record_every=" + o.record_every);
  const double start_height = doc.root()["world"]["bitcoin"]["start_height"].as<double>();
  const TimedRun r = timed_run(doc, o.seed, t0, !o.buffered);
  const auto& summary = r.simulation->summary();
  fmt::print(
      "{{\"bench\":\"mining\",\"years\":{},\"record_every\":\"{}\",\"output\":\"{}\",\"samples\":{},\"events\":{},\"blocks\":{},"
      "\"load_seconds\":{:.4f},\"run_seconds\":{:.4f},\"run_cpu_seconds\":{:.4f},\"write_seconds\":{:.4f},\"total_seconds\":{:.4f},"
      "\"events_per_s\":{:.0f},\"file_bytes\":{},\"peak_rss_mb\":{:.1f}}}\n",
      o.years, o.record_every, o.buffered ? "buffered" : "streamed", r.samples, summary.events, summary.value("final_height") - start_height,
      r.load_seconds, r.run_seconds, r.run_cpu_seconds, r.write_seconds, r.total_seconds,
      static_cast<double>(summary.events) / r.run_seconds, r.file_bytes, r.peak_rss_mb);
}

}  // namespace

void configure_mining(CLI::App& sub) {
  auto opts = std::make_shared<MiningOptions>();
  sub.add_option("--scenario", opts->scenario, "scenario file (default scenarios/default.yaml)");
  sub.add_option("--years", opts->years, "horizon in years (default 10)");
  sub.add_option("--record-every", opts->record_every, "recording interval (default 1h)");
  sub.add_option("--seed", opts->seed, "seed (default 1)");
  sub.add_flag("--buffered", opts->buffered,
               "keep every series in memory and write the file after the run (no writer thread during it, as "
               "before streaming: compares the simulation alone)");
  sub.callback([opts] { run_mining(*opts); });
}

}  // namespace hybridsim::bench
