// A hybrid site at scale under a moving power price: scenarios/hybrid.yaml scaled to about
// 100 MW of load behind a 100 MW interconnect (a 64 MW immersion mining hall of two ASIC
// cohorts; an HPC hall of 37 MW with an owned H100 cloud taking Poisson jobs and a tenant's
// H100s under a colocation lease), a 15-minute mean-reverting spot price with spikes, and
// the marginal_value dispatch policy, recorded hourly over 10 years. It runs through the real
// loader, Simulation and HDF5 writer, and prints the wall time of the run and of the write,
// events per second, dispatch decisions and the peak resident memory (getrusage).
//
// The scenario is embedded below (the files under scenarios/ are golden-tested); --policy,
// --price-step, --years and --record-every override it as `--set` would.

#include <chrono>
#include <memory>
#include <string>

#include <fmt/core.h>

#include "sim/config/document.hpp"
#include "sim/run/scenario.hpp"
#include "sim/run/simulation.hpp"
#include "tools/bench/benches.hpp"
#include "tools/bench/timed_run.hpp"

namespace hybridsim::bench {
namespace {

// scenarios/hybrid.yaml scaled to 100 MW: ASICs 10,500 S21 + 8,000 S19 XP = 60.8 MW IT,
// 63.9 MW at PUE 1.05; GPUs 8,192 owned + 32,768 tenant H100 SXM at 700 W = 28.7 MW IT,
// 37.3 MW at PUE 1.3; 101 MW of nameplate for a 100 MW cap, so the policy arbitrates the
// cap as well as the price. The lease, the reserved GPUs and the job rate scale with the
// clusters (×2).
constexpr const char* kScenario = R"yaml(
name: bench-dispatch-hybrid-100mw
description: 100 MW hybrid site (ASICs, owned H100 cloud, colocation tenant) on a 15-minute spot price
start: 2024-04-20T00:09:27Z
horizon_years: 10
seed: 1
record_every: 1h

world:
  bitcoin: {start_height: 840000, start_difficulty: 86388558925171, blocks: poisson}
  btc_price: {model: gbm, initial_usd: 64000, drift_per_year: 0.2, vol_per_year: 0.55}
  network: {model: growth, growth_per_year: 0.35}
  fees: {model: share_of_subsidy, share: 0.05}
  power_price: {model: ou_spot, step: 15m, mean_usd_per_mwh: 40, reversion_per_day: 2,
                stationary_sd_usd_per_mwh: 15, spike: {rate_per_year: 8, duration: 3h, mean_usd_per_mwh: 1000}}

facility:
  power_cap_mw: 100
  halls:
    - {name: mining, pue: 1.05}
    - {name: hpc, pue: 1.3}
  asic_cohorts:
    - {model: Antminer S19 XP, count: 8000, hashrate_ths: 140, power_w: 3010, hall: mining,
       failure_rate_per_year: 0.08}
    - {model: Antminer S21, count: 10500, hashrate_ths: 200, power_w: 3500, hall: mining,
       failure_rate_per_year: 0.05}
  pool: {model: fpps, fee: 0.02}
  dispatch: {model: marginal_value, decision_step: 1h}
  gpu_clusters:
    - {name: cloud, gpu: H100 SXM, count: 8192, hall: hpc, purchase_usd_per_gpu: 30000, depreciation_years: 5}
    - {name: tenant, gpu: H100 SXM, count: 32768, hall: hpc, owner: tenant, contract: lease, load: 0.9}
  contracts:
    - {name: lease, model: colocation, committed_mw: 22.9, usd_per_kw_month: 121, power: pass_through,
       sla_credit_multiple: 2, term_years: 12}
    - {name: cloud, model: gpu_hour_rental, reserved_gpus: 4096, reserved_usd_per_gpu_hour: 2.1}
  gpu_price: {model: decaying, initial_usd_per_gpu_hour: 2.5, decay_per_year: 0.3}
  jobs: {model: poisson, rate_per_day: 24, contract: cloud, gpus: {choices: [8, 64, 512], weights: [6, 3, 1]},
         hours: {lognormal: [3, 1]}}
  scheduler: {model: easy_backfill}

finance:
  fixed_cost_usd_per_year: 12000000
)yaml";

struct DispatchOptions {
  double years = 10;
  std::string record_every = "1h";
  std::uint64_t seed = 1;
  std::string policy = "marginal_value";
  std::string price_step = "15m";
  double jobs_per_day = 0;  // 0: the scenario's 24 jobs a day of 8 to 512 GPUs
  bool buffered = false;
  bool dump = false;
};

void run_dispatch(const DispatchOptions& o) {
  if (o.dump) {
    fmt::print("{}", kScenario);
    return;
  }
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  auto doc = sim::config::Document::load_string(kScenario, "tools/bench/dispatch.cpp (embedded scenario)");
  doc.set("horizon_years=" + std::to_string(o.years));
  doc.set("record_every=" + o.record_every);
  doc.set("world.power_price.step=" + o.price_step);
  doc.set("facility.dispatch.model=" + o.policy);
  // The one policy with a required parameter: curtail mining above its break-even price.
  if (o.policy == "price_threshold") doc.set("facility.dispatch.hashprice_multiple=1");
  if (o.jobs_per_day > 0) {
    // Many small jobs the owned cloud can keep up with: 8-GPU jobs of lognormal(1.5, 1) hours
    // (mean e^2 = 7.4 h), so 2,000 a day keep its 8,192 GPUs about 60% busy and the job
    // table grows by millions of rows over decades.
    doc.set("facility.jobs.rate_per_day=" + std::to_string(o.jobs_per_day));
    doc.set("facility.jobs.gpus.choices=[8]");
    doc.set("facility.jobs.gpus.weights=[1]");
    doc.set("facility.jobs.hours.lognormal=[1.5, 1]");
  }
  const TimedRun r = timed_run(doc, o.seed, t0, !o.buffered);
  const auto& summary = r.simulation->summary();
  fmt::print(
      "{{\"bench\":\"dispatch\",\"years\":{},\"policy\":\"{}\",\"price_step\":\"{}\",\"record_every\":\"{}\","
      "\"jobs_per_day\":{},\"output\":\"{}\","
      "\"samples\":{},\"events\":{},\"decisions\":{},\"load_seconds\":{:.4f},\"run_seconds\":{:.4f},\"run_cpu_seconds\":{:.4f},"
      "\"write_seconds\":{:.4f},\"total_seconds\":{:.4f},\"m_events_per_s\":{:.3f},\"peak_rss_mb\":{:.1f},"
      "\"file_bytes\":{}}}\n",
      o.years, o.policy, o.price_step, o.record_every, o.jobs_per_day > 0 ? o.jobs_per_day : 24.0,
      o.buffered ? "buffered" : "streamed", r.samples, summary.events, summary.decisions,
      r.load_seconds, r.run_seconds, r.run_cpu_seconds, r.write_seconds, r.total_seconds,
      static_cast<double>(summary.events) / r.run_seconds / 1e6, r.peak_rss_mb, r.file_bytes);
}

}  // namespace

void configure_dispatch(CLI::App& sub) {
  auto opts = std::make_shared<DispatchOptions>();
  sub.add_option("--years", opts->years, "horizon in years (default 10)");
  sub.add_option("--record-every", opts->record_every, "recording interval (default 1h)");
  sub.add_option("--seed", opts->seed, "seed (default 1)");
  sub.add_option("--policy", opts->policy,
                 "facility.dispatch.model (default marginal_value; price_threshold gets hashprice_multiple 1)");
  sub.add_option("--price-step", opts->price_step, "step of the ou_spot power price (default 15m)");
  sub.add_option("--jobs-per-day", opts->jobs_per_day,
                 "Poisson jobs a day on the owned cloud, as 8-GPU jobs of lognormal(1.5, 1) hours (default: the "
                 "scenario's 24 a day of 8 to 512 GPUs); the long-run memory check is --years 30 --jobs-per-day 2000");
  sub.add_flag("--buffered", opts->buffered, "keep every series in memory and write the file after the run");
  sub.add_flag("--print-scenario", opts->dump, "print the embedded scenario and exit");
  sub.callback([opts] { run_dispatch(*opts); });
}

}  // namespace hybridsim::bench
