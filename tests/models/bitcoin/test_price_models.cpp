#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "models/bitcoin/constant_price.hpp"
#include "models/bitcoin/gbm_price.hpp"
#include "models/bitcoin/halving_response_price.hpp"
#include "models/bitcoin/merton_price.hpp"
#include "models/bitcoin/regime_switching_price.hpp"
#include "sample_moments.hpp"

using namespace hybridsim::models::bitcoin;
using hybridsim::models::bitcoin::testing::moments;
using hybridsim::sim::kSecondsPerDay;
using hybridsim::sim::kSecondsPerYear;
using hybridsim::sim::Rng;
using hybridsim::sim::SimTime;

namespace {

constexpr double kDay = static_cast<double>(kSecondsPerDay) / static_cast<double>(kSecondsPerYear);

// ln(S_T / S_0) over `steps` steps of `step_s`, for `paths` independent paths of fresh models.
template <typename Make>
std::vector<double> log_returns(Make make, int paths, int steps, std::uint64_t seed, SimTime step_s = kSecondsPerDay) {
  Rng rng(seed);
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(paths));
  for (int i = 0; i < paths; ++i) {
    auto model = make();
    double s = model.initial_usd();
    for (int k = 0; k < steps; ++k) s = model.next_usd(s, PriceStep{k * step_s, step_s}, rng);
    out.push_back(std::log(s / model.initial_usd()));
  }
  return out;
}

}  // namespace

TEST_CASE("constant price never moves") {
  ConstantPrice p(64'000);
  Rng rng(1);
  CHECK(p.next_usd(1.0, PriceStep{0, 86400}, rng) == 64'000);
  CHECK_THROWS(ConstantPrice(0));
}

TEST_CASE("gbm: log returns have mean (mu - sigma^2/2)t and variance sigma^2 t") {
  const double mu = 0.3, sigma = 0.6;
  const auto r = log_returns([&] { return GbmPrice(50'000, mu, sigma); }, 20'000, 90, 11);
  const auto m = moments(r);
  const double t = 90 * kDay;
  CHECK(std::abs(m.mean - (mu - 0.5 * sigma * sigma) * t) < 4 * m.se_mean);
  CHECK(std::abs(m.variance - sigma * sigma * t) < 4 * m.se_variance);
}

TEST_CASE("gbm with zero volatility grows exactly at the drift") {
  GbmPrice p(100.0, 0.1, 0.0);
  Rng rng(3);
  CHECK(p.next_usd(100.0, PriceStep{0, kSecondsPerYear}, rng) == Approx(100.0 * std::exp(0.1)).epsilon(1e-12));
  CHECK_THROWS(GbmPrice(100.0, 0.1, -0.1));
}

TEST_CASE("merton: log-return mean and variance match the jump-diffusion formula") {
  MertonPrice::Params q{60'000, 0.2, 0.4, 6.0, -0.08, 0.12, true};
  const MertonPrice reference(q);
  const double t = 180 * kDay;
  const auto r = log_returns([&] { return MertonPrice(q); }, 20'000, 180, 21);
  const auto m = moments(r);
  CHECK(std::abs(m.mean - reference.log_return_mean(t)) < 4 * m.se_mean);
  CHECK(std::abs(m.variance - reference.log_return_variance(t)) < 4 * m.se_variance);
  // The jumps matter: the variance is well above the diffusion's alone.
  CHECK(reference.log_return_variance(t) > 1.4 * 0.4 * 0.4 * t);
}

TEST_CASE("merton: a compensated drift keeps E[S(t)] = S0 exp(mu t), uncompensated adds lambda kappa") {
  const double t = 180 * kDay;
  for (bool compensate : {true, false}) {
    MertonPrice::Params q{1.0, 0.2, 0.3, 4.0, 0.05, 0.1, compensate};
    const MertonPrice reference(q);
    const auto r = log_returns([&] { return MertonPrice(q); }, 20'000, 30, compensate ? 31 : 32, 6 * kSecondsPerDay);
    std::vector<double> ratio;
    for (double x : r) ratio.push_back(std::exp(x));
    const auto m = moments(ratio);
    const double expected = std::exp((0.2 + (compensate ? 0.0 : 4.0 * reference.mean_jump_relative())) * t);
    CHECK(std::abs(m.mean - expected) < 4 * m.se_mean);
  }
}

TEST_CASE("regime switching: one-year log returns match the stationary two-state formula") {
  RegimeSwitchingPrice::Params q{40'000, 1.0, 0.5, -0.6, 0.9, 1.2, 1.8, RegimeSwitchingPrice::Start::kStationary};
  const double qsum = q.bull_to_bear_per_year + q.bear_to_bull_per_year;
  const double pi_bull = q.bear_to_bull_per_year / qsum, pi_bear = 1 - pi_bull;
  const double a_bull = q.bull_drift_per_year - 0.5 * q.bull_vol_per_year * q.bull_vol_per_year;
  const double a_bear = q.bear_drift_per_year - 0.5 * q.bear_vol_per_year * q.bear_vol_per_year;
  const double t = 365 * kDay;
  const double mean = (pi_bull * a_bull + pi_bear * a_bear) * t;
  const double var = (pi_bull * q.bull_vol_per_year * q.bull_vol_per_year + pi_bear * q.bear_vol_per_year * q.bear_vol_per_year) * t +
                     (a_bull - a_bear) * (a_bull - a_bear) * 2 * pi_bull * pi_bear *
                         (t / qsum - (1 - std::exp(-qsum * t)) / (qsum * qsum));

  Rng rng(41);
  std::vector<double> r;
  int bull_at_end = 0;
  const int paths = 20'000;
  for (int i = 0; i < paths; ++i) {
    RegimeSwitchingPrice model(q);
    double s = model.initial_usd();
    for (int k = 0; k < 365; ++k) s = model.next_usd(s, PriceStep{k * kSecondsPerDay, kSecondsPerDay}, rng);
    r.push_back(std::log(s / model.initial_usd()));
    bull_at_end += model.regime() == RegimeSwitchingPrice::Regime::kBull;
  }
  const auto m = moments(r);
  CHECK(std::abs(m.mean - mean) < 4 * m.se_mean);
  CHECK(std::abs(m.variance - var) < 4 * m.se_variance);
  // Started from the stationary law, the regime stays in it.
  const double share = static_cast<double>(bull_at_end) / paths;
  CHECK(std::abs(share - pi_bull) < 4 * std::sqrt(pi_bull * pi_bear / paths));
}

TEST_CASE("regime switching: switches inside a long step are simulated, not skipped") {
  // One 1-year step vs. 365 daily steps: same law, so same mean of log returns.
  RegimeSwitchingPrice::Params q{1.0, 0.8, 0.2, -0.8, 0.2, 3.0, 3.0, RegimeSwitchingPrice::Start::kBull};
  Rng rng(43);
  std::vector<double> one_step;
  for (int i = 0; i < 20'000; ++i) {
    RegimeSwitchingPrice model(q);
    one_step.push_back(std::log(model.next_usd(1.0, PriceStep{0, 365 * kSecondsPerDay}, rng)));
  }
  const auto daily = moments(log_returns([&] { return RegimeSwitchingPrice(q); }, 10'000, 365, 44));
  const auto yearly = moments(one_step);
  // From bull, E[time in bull over t] = t/2 + (1 - e^{-6t})/12 with q = 6: mean = 0.6·(1 - e^{-6t})/6 - 0.02t.
  const double t = 365 * kDay;
  const double expected = 0.8 * 2 * (1 - std::exp(-6 * t)) / 12 - 0.02 * t;
  CHECK(std::abs(yearly.mean - expected) < 4 * yearly.se_mean);
  CHECK(std::abs(daily.mean - expected) < 4 * daily.se_mean);
}

TEST_CASE("halving response: drift change over the window and a jump at the halving") {
  HalvingResponsePrice::Params q{60'000, 0.1, 0.5, 0.8, 120 * kSecondsPerDay, 0.15};
  const SimTime halving_s = 100 * kSecondsPerDay + 3600;  // inside day 100's step
  const int steps = 365;
  Rng rng(51);
  std::vector<double> r;
  for (int i = 0; i < 10'000; ++i) {
    HalvingResponsePrice model(q);
    double s = model.initial_usd();
    for (int k = 0; k < steps; ++k) {
      PriceStep step{k * kSecondsPerDay, kSecondsPerDay};
      if ((k + 1) * kSecondsPerDay > halving_s) {  // the world reports it at the end of the step
        step.halvings_seen = 1;
        step.last_halving_s = halving_s;
      }
      s = model.next_usd(s, step, rng);
    }
    r.push_back(std::log(s / model.initial_usd()));
  }
  const double t = steps * kDay;
  const double window = 120 * kDay;
  const double mean = (0.1 - 0.5 * 0.25) * t + 0.8 * window + 0.15;
  const auto m = moments(r);
  CHECK(std::abs(m.mean - mean) < 4 * m.se_mean);
  CHECK(std::abs(m.variance - 0.25 * t) < 4 * m.se_variance);
}

TEST_CASE("halving response without a halving is the gbm, draw for draw") {
  HalvingResponsePrice h({100.0, 0.2, 0.4, 0.5, 30 * kSecondsPerDay, 0.1});
  GbmPrice g(100.0, 0.2, 0.4);
  Rng a(7), b(7);
  double sh = 100.0, sg = 100.0;
  for (int k = 0; k < 50; ++k) {
    sh = h.next_usd(sh, PriceStep{k * kSecondsPerDay, kSecondsPerDay}, a);
    sg = g.next_usd(sg, PriceStep{k * kSecondsPerDay, kSecondsPerDay}, b);
  }
  CHECK(sh == Approx(sg).epsilon(1e-12));
}

TEST_CASE("halving response applies the jump once, in the step that first sees the halving") {
  HalvingResponsePrice h({100.0, 0.0, 0.0, 0.0, kSecondsPerDay, std::log(1.5)});
  Rng rng(1);
  PriceStep step{0, kSecondsPerDay, 1, 0};
  const double after = h.next_usd(100.0, step, rng);
  CHECK(after == Approx(150.0));
  step.now_s = kSecondsPerDay;
  CHECK(h.next_usd(after, step, rng) == Approx(150.0));
}
