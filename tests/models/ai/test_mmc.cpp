// M/M/c check of the job farm: 1-GPU jobs, Poisson arrivals, exponential durations, FIFO, no
// power limit. The mean wait must match Erlang C within a 99 % batch-means confidence interval.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "models/ai/ai_part.hpp"
#include "models/ai/poisson_jobs.hpp"
#include "models/ai/schedulers.hpp"
#include "harness.hpp"

namespace hybridsim::models::ai {
namespace {

/// Erlang C mean wait in queue, W_q = C(c, a) / (c·μ − λ), a = λ/μ.
double erlang_c_mean_wait(int c, double lambda, double mu) {
  const double a = lambda / mu;
  double term = 1.0;  // a^k / k!
  double sum = 0.0;
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double tail = term * c / (c - a);  // a^c / c! · c / (c − a)
  return tail / (sum + tail) / (c * mu - lambda);
}

struct BatchMeans {
  double mean;
  double half_width_99;
};

/// Runs an M/M/c queue of `c` GPUs at utilisation rho (mean duration 1 h) and returns the
/// batch means of the waits of jobs [warmup, warmup + batches·size) in order of submission.
BatchMeans simulate(int c, double rho, std::size_t warmup, int batches, std::size_t size, std::uint64_t seed) {
  const double mu_per_h = 1.0;
  const double lambda_per_h = rho * c * mu_per_h;
  PoissonJobs::Options o;
  o.rate_per_day = lambda_per_h * 24.0;
  o.gpu_choices = {1};
  o.duration = {DurationLaw::Kind::kExponential, 1.0 / mu_per_h, 0.0};
  AiParts parts;
  ClusterSpec cluster;
  cluster.name = "mmc";
  cluster.count = c;
  cluster.gpus_per_node = 1;
  parts.clusters = {cluster};
  parts.scheduler = std::make_unique<FifoScheduler>();
  parts.streams.push_back({std::make_unique<PoissonJobs>(o), {-1}});
  AiPart part(std::move(parts));
  const std::size_t jobs = warmup + static_cast<std::size_t>(batches) * size;
  // Long enough that every job we use has started: arrivals take jobs/λ hours on average.
  const auto horizon = static_cast<sim::SimTime>((static_cast<double>(jobs) / lambda_per_h + 500.0) * 3600.0);
  testing::Harness h(horizon, seed);
  h.start(part);
  h.run_until(horizon);
  const auto& rows = part.farm().rows();
  REQUIRE(rows.size() >= jobs);
  std::vector<double> means;
  for (int b = 0; b < batches; ++b) {
    double sum = 0.0;
    for (std::size_t i = warmup + b * size; i < warmup + (b + 1) * size; ++i) {
      if (rows[i].first_start_s < 0) FAIL("job " << i << " never started");
      sum += static_cast<double>(rows[i].first_start_s - rows[i].submit_s) / 3600.0;
    }
    means.push_back(sum / static_cast<double>(size));
  }
  double mean = 0.0;
  for (double m : means) mean += m;
  mean /= batches;
  double var = 0.0;
  for (double m : means) var += (m - mean) * (m - mean);
  var /= (batches - 1);
  const double t_995_29 = 2.756;  // Student t, 29 degrees of freedom, two-sided 99 %
  REQUIRE(batches == 30);
  return {mean, t_995_29 * std::sqrt(var / batches)};
}

}  // namespace

TEST_CASE("Erlang C reference values", "[ai][mmc]") {
  // M/M/1: W_q = rho / (mu - lambda).
  CHECK(erlang_c_mean_wait(1, 0.5, 1.0) == Approx(1.0));
  // M/M/2, a = 1: C = 1/3, W_q = (1/3) / (2 - 1).
  CHECK(erlang_c_mean_wait(2, 1.0, 1.0) == Approx(1.0 / 3.0));
}

TEST_CASE("FIFO on 1-GPU jobs matches the M/M/c mean wait (Erlang C) at rho 0.7 and 0.95", "[ai][mmc]") {
  const int c = 10;
  for (const double rho : {0.7, 0.95}) {
    // Batches are far longer than the queue's relaxation time (≈ 1 / (mu (√c − √a)²): 6 h at
    // 0.7, 156 h at 0.95, i.e. 40 and 1,500 arrivals), so batch means are nearly independent.
    const std::size_t size = rho < 0.9 ? 4000 : 40000;
    const BatchMeans got = simulate(c, rho, size, 30, size, rho < 0.9 ? 5 : 105);
    const double expected = erlang_c_mean_wait(c, rho * c, 1.0);
    INFO("rho " << rho << ": mean wait " << got.mean << " h ± " << got.half_width_99 << " (99 %), Erlang C " << expected);
    CHECK(std::abs(got.mean - expected) <= got.half_width_99);
    CHECK(got.half_width_99 < 0.25 * expected);  // the interval is tight enough to mean something
  }
}

}  // namespace hybridsim::models::ai
