#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "models/bitcoin/constant_fees.hpp"
#include "models/bitcoin/share_of_subsidy_fees.hpp"
#include "models/bitcoin/stochastic_fees.hpp"
#include "sample_moments.hpp"

using namespace hybridsim::models::bitcoin;
using hybridsim::models::bitcoin::testing::moments;
using hybridsim::sim::Rng;

TEST_CASE("constant and share-of-subsidy fees") {
  Rng rng(1);
  ConstantFees c(0.123456789);
  CHECK(c.expected_fees_sat(840'000, 312'500'000) == Approx(12'345'678.9));
  CHECK(c.draw_fees_sat(840'000, 312'500'000, rng) == 12'345'679);
  ShareOfSubsidyFees s(0.05);
  CHECK(s.draw_fees_sat(840'000, 312'500'000, rng) == 15'625'000);
  CHECK(s.expected_fees_sat(1'050'000, 156'250'000) == Approx(7'812'500));
  CHECK_THROWS(ConstantFees(-1));
}

TEST_CASE("stochastic fees without spikes: lognormal with the given mean and log-sd") {
  StochasticFees f({0.2, -1, 0.7, 0, 1, 1});
  Rng rng(61);
  std::vector<double> fees, logs;
  for (int i = 0; i < 200'000; ++i) {
    const double x = static_cast<double>(f.draw_fees_sat(840'000, 312'500'000, rng));
    fees.push_back(x);
    logs.push_back(std::log(x));
  }
  const auto m = moments(fees);
  CHECK(std::abs(m.mean - 0.2e8) < 4 * m.se_mean);
  const auto l = moments(logs);
  CHECK(std::abs(l.variance - 0.49) < 4 * l.se_variance);
  CHECK(f.expected_fees_sat(840'000, 312'500'000) == Approx(0.2e8));
}

TEST_CASE("stochastic fees with spikes: long-run mean b(1 + phi(M - 1)), FPPS sees the episode") {
  // 40 episodes a year of 144 blocks at 4x the base share of 5% of the subsidy.
  StochasticFees f({0, 0.05, 0.5, 40, 4, 144});
  const std::int64_t subsidy = 312'500'000;
  const double base = 0.05 * subsidy;
  Rng rng(62);
  // Episodes make blocks dependent: the standard error comes from batch means.
  std::vector<double> batch_means;
  bool saw_spike_expectation = false;
  for (int b = 0; b < 100; ++b) {
    double sum = 0;
    for (int i = 0; i < 20'000; ++i) {
      sum += static_cast<double>(f.draw_fees_sat(840'000, subsidy, rng));
      saw_spike_expectation = saw_spike_expectation || f.expected_fees_sat(840'000, subsidy) == Approx(4 * base);
    }
    batch_means.push_back(sum / 20'000);
  }
  const auto m = moments(batch_means);
  CHECK(f.spike_block_share() > 0.02);
  CHECK(std::abs(m.mean - f.long_run_mean_sat(subsidy)) < 4 * m.se_mean);
  CHECK(f.long_run_mean_sat(subsidy) == Approx(base * (1 + 3 * f.spike_block_share())));
  CHECK(saw_spike_expectation);
}
