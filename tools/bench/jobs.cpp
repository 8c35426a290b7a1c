// The AI part at scale: Poisson training jobs on a large GPU cluster, scheduled by FIFO or
// EASY backfill, with the job table kept as in a real run. The mix: 1, 8, 64 or 512 GPUs
// (weights 40/40/15/5, mean 38.8 GPUs), ln(hours) ~ N(1, 1) (mean 4.5 h), checkpoints hourly;
// the arrival rate is set so that the offered load is `--load` of the GPUs, and the horizon so
// that about `--jobs` jobs arrive. Prints engine events per second of wall time.
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <stdexcept>

#include <fmt/core.h>

#include "models/ai/ai_part.hpp"
#include "models/ai/poisson_jobs.hpp"
#include "models/ai/schedulers.hpp"
#include "tools/bench/benches.hpp"

namespace hybridsim::bench {
namespace {

using namespace hybridsim::models::ai;

struct JobsOptions {
  std::uint64_t jobs = 1000000;
  int gpus = 20000;
  double load = 0.85;
  std::string scheduler = "easy_backfill";
  std::uint64_t seed = 1;
};

void run_jobs(const JobsOptions& o) {
  PoissonJobs::Options arrivals;
  arrivals.gpu_choices = {1, 8, 64, 512};
  arrivals.gpu_weights = {40, 40, 15, 5};
  arrivals.duration = {DurationLaw::Kind::kLognormal, 1.0, 1.0};
  const double mean_gpus = (40 * 1 + 40 * 8 + 15 * 64 + 5 * 512) / 100.0;
  const double mean_hours = std::exp(1.5);
  const double jobs_per_hour = o.load * o.gpus / (mean_gpus * mean_hours);
  arrivals.rate_per_day = jobs_per_hour * 24;

  AiParts parts;
  ClusterSpec cluster;
  cluster.name = "bench";
  cluster.gpu = "H100 SXM";
  cluster.count = o.gpus;
  cluster.pue = 1.3;
  parts.clusters = {cluster};
  if (o.scheduler == "fifo") {
    parts.scheduler = std::make_unique<FifoScheduler>();
  } else if (o.scheduler == "easy_backfill") {
    parts.scheduler = std::make_unique<EasyBackfillScheduler>(100);
  } else {
    throw std::invalid_argument("--scheduler: fifo or easy_backfill");
  }
  parts.streams.push_back({std::make_unique<PoissonJobs>(arrivals), {-1}});
  AiPart part(std::move(parts));

  const auto horizon = static_cast<sim::SimTime>(static_cast<double>(o.jobs) / jobs_per_hour * 3600.0);
  sim::Engine engine;
  sim::RngStreams rng(o.seed);
  sim::output::Recorder recorder;
  sim::Ledger ledger;
  sim::WorldState world;
  sim::config::BuildContext build;
  build.horizon_s = horizon;
  sim::RunContext ctx{engine, rng, recorder, ledger, world, build, [&ledger] { return ledger.net_cash_usd(); }};

  const auto t0 = std::chrono::steady_clock::now();
  part.start(ctx);
  double busy_gpu_s = 0.0;
  engine.set_advance_hook([&](sim::SimTime from, sim::SimTime to) {
    part.update_rates(world);
    ledger.integrate(to - from);
    busy_gpu_s += static_cast<double>(part.farm().gpus_busy()) * static_cast<double>(to - from);
  });
  engine.run_until(horizon);
  part.finish(ctx);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  const auto& rows = part.farm().rows();
  double wait_h = 0.0;
  std::uint64_t started = 0;
  for (const auto& r : rows)
    if (r.first_start_s >= 0) {
      wait_h += static_cast<double>(r.first_start_s - r.submit_s) / 3600.0;
      ++started;
    }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  fmt::print(
      "{{\"bench\":\"jobs\",\"scheduler\":\"{}\",\"gpus\":{},\"load\":{},\"jobs\":{},\"started\":{},"
      "\"events\":{},\"seconds\":{:.3f},\"events_per_s\":{:.0f},\"jobs_per_s\":{:.0f},"
      "\"mean_wait_h\":{:.3f},\"utilization\":{:.4f},\"peak_rss_mb\":{:.1f}}}\n",
      o.scheduler, o.gpus, o.load, rows.size(), started, engine.events_run(), seconds,
      static_cast<double>(engine.events_run()) / seconds, static_cast<double>(rows.size()) / seconds,
      started ? wait_h / static_cast<double>(started) : 0.0,
      busy_gpu_s / (static_cast<double>(o.gpus) * static_cast<double>(horizon)), usage.ru_maxrss / 1024.0);
}

}  // namespace

void configure_jobs(CLI::App& sub) {
  auto o = std::make_shared<JobsOptions>();
  sub.add_option("--jobs", o->jobs, "jobs to submit (about)")->check(CLI::PositiveNumber);
  sub.add_option("--gpus", o->gpus, "GPUs in the cluster")->check(CLI::PositiveNumber);
  sub.add_option("--load", o->load, "offered load, fraction of the GPUs")->check(CLI::Range(0.01, 2.0));
  sub.add_option("--scheduler", o->scheduler, "fifo or easy_backfill");
  sub.add_option("--seed", o->seed, "scenario seed (streams: jobs)");
  sub.callback([o] { run_jobs(*o); });
}

}  // namespace hybridsim::bench
