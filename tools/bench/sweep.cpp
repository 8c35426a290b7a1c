// A sweep at scale: N members of a 10-year hybrid facility recorded daily, run into one HDF5
// file through the real SweepPlan, thread pool and writer. Prints wall time, the workers' and
// the writer's busy time (so simulation and write throughput can be compared), CPU time,
// the file's size and the peak resident memory (getrusage). One configuration per process,
// so that peak memory is the configuration's own: compare --members 100 with --members 1000
// and --jobs 1 with --jobs 2 across invocations (docs/performance.md).
//
// The facility is scenarios/hybrid.yaml (an oversubscribed mining hall beside an owned H100
// cloud and a colocation tenant, marginal-value dispatch) over 10 years, with the world's
// price and network stepped daily; the sweep draws the GBM drift and volatility of the BTC
// price from a Latin hypercube, so every member has its own price path.
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include <fmt/core.h>

#include "models/catalogue.hpp"
#include "sim/sweep/sweep_plan.hpp"
#include "sim/sweep/sweep_runner.hpp"
#include "tools/bench/benches.hpp"

namespace hybridsim::bench {
namespace {

constexpr const char* kScenario = R"yaml(
name: bench-sweep-hybrid-10y
description: the hybrid site of scenarios/hybrid.yaml over 10 years, world stepped daily
start: 2024-04-20T00:09:27Z
horizon_years: 10
seed: 42
record_every: 1d

world:
  bitcoin: {start_height: 840000, start_difficulty: 86388558925171, price_step: 1d, network_step: 1d}
  btc_price: {model: gbm, initial_usd: 64000, drift_per_year: 0.2, vol_per_year: 0.55}
  network: {model: industry}
  fees: {model: stochastic, mean_btc_per_block: 0.15, log_vol: 0.5}
  power_price: {model: fixed, price_usd_per_mwh: 45}

facility:
  power_cap_mw: 100
  halls:
    - {name: mining, pue: 1.05}
    - {name: hpc, pue: 1.3}
  asic_cohorts:
    - {model: Antminer S19 XP, count: 12000, hashrate_ths: 140, power_w: 3010, hall: mining,
       failure_rate_per_year: 0.08}
    - {model: Antminer S21, count: 14000, hashrate_ths: 200, power_w: 3500, hall: mining,
       failure_rate_per_year: 0.05}
  pool: {model: fpps, fee: 0.02}
  gpu_clusters:
    - {name: cloud, gpu: H100 SXM, count: 4096, hall: hpc, purchase_usd_per_gpu: 30000, depreciation_years: 5}
    - {name: tenant, gpu: H100 SXM, count: 16000, hall: hpc, owner: tenant, contract: lease, load: 0.9}
  contracts:
    - {name: lease, model: colocation, committed_mw: 11.2, usd_per_kw_month: 121, power: pass_through,
       sla_credit_multiple: 2, term_years: 12}
    - {name: cloud, model: gpu_hour_rental, reserved_gpus: 2048, reserved_usd_per_gpu_hour: 2.1}
  gpu_price: {model: decaying, initial_usd_per_gpu_hour: 2.5, decay_per_year: 0.3}
  jobs: {model: poisson, rate_per_day: 12, contract: cloud, gpus: {choices: [8, 64, 512], weights: [6, 3, 1]},
         hours: {lognormal: [3, 1]}}
  scheduler: {model: easy_backfill}
  dispatch: {model: marginal_value, decision_step: 1d}

finance:
  fixed_cost_usd_per_year: 6000000
)yaml";

struct SweepBenchOptions {
  std::int64_t members = 100;
  int jobs = 1;
  double years = 10;
  bool keep = false;
};

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

void run_sweep_bench(const SweepBenchOptions& o) {
  const std::string block =
      fmt::format("sweep:\n  method: lhs\n  samples: {}\n  params:\n"
                  "    world.btc_price.drift_per_year: {{min: -0.2, max: 0.5}}\n"
                  "    world.btc_price.vol_per_year: {{min: 0.3, max: 0.9}}\n",
                  o.members);
  auto doc = sim::config::Document::load_string(block, "tools/bench/sweep.cpp (embedded sweep)");
  const YAML::Node node = doc.root()["sweep"];
  sweep::SweepSource source{kScenario, "tools/bench/sweep.cpp (embedded scenario)",
                            {"horizon_years=" + std::to_string(o.years)}, std::nullopt, std::move(doc), node};
  const auto plan = sweep::SweepPlan::make(source, models::plugins(), true);
  const auto path = std::filesystem::temp_directory_path() / fmt::format("hybridsim-bench-sweep-{}.h5", getpid());
  sweep::SweepOptions options;
  options.output = path;
  options.jobs = o.jobs;
  const double cpu0 = cpu_seconds();
  const auto stats = sweep::run_sweep(plan, options);
  const double cpu = cpu_seconds() - cpu0;
  const auto bytes = std::filesystem::file_size(path);
  if (!o.keep) std::filesystem::remove(path);

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double mb = 1024.0 * 1024.0;
  fmt::print(
      "{{\"bench\":\"sweep\",\"members\":{},\"jobs\":{},\"years\":{},\"wall_seconds\":{:.3f},\"cpu_seconds\":{:.3f},"
      "\"members_per_s\":{:.2f},\"simulate_seconds\":{:.3f},\"encode_seconds\":{:.3f},\"write_seconds\":{:.3f},"
      "\"simulate_cpu_seconds\":{:.3f},\"encode_cpu_seconds\":{:.3f},\"write_cpu_seconds\":{:.3f},"
      "\"raw_mb\":{:.1f},\"file_mb\":{:.1f},\"simulate_mb_per_s\":{:.1f},\"write_mb_per_s\":{:.1f},"
      "\"peak_rss_mb\":{:.1f}{}}}\n",
      o.members, o.jobs, o.years, stats.wall_s, cpu, static_cast<double>(stats.members) / stats.wall_s,
      stats.simulate_s, stats.encode_s, stats.write_s, stats.simulate_cpu_s, stats.encode_cpu_s, stats.write_cpu_s,
      static_cast<double>(stats.raw_bytes) / mb,
      static_cast<double>(bytes) / mb, static_cast<double>(stats.raw_bytes) / mb / stats.simulate_s,
      static_cast<double>(stats.raw_bytes) / mb / stats.write_s, static_cast<double>(usage.ru_maxrss) / 1024.0,
      o.keep ? fmt::format(",\"file\":\"{}\"", path.string()) : "");
}

}  // namespace

void configure_sweep(CLI::App& sub) {
  auto opts = std::make_shared<SweepBenchOptions>();
  sub.add_option("--members", opts->members, "members (Latin hypercube points; default 100)");
  sub.add_option("-j,--jobs", opts->jobs, "worker threads (default 1)");
  sub.add_option("--years", opts->years, "horizon in years (default 10)");
  sub.add_flag("--keep", opts->keep, "keep the output file and print its path");
  sub.callback([opts] { run_sweep_bench(*opts); });
}

}  // namespace hybridsim::bench
