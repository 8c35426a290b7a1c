// The block process of the bitcoin world: mean intervals, deterministic timing, and the
// retargets absorbing a change of hashrate.
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "models/bitcoin/bitcoin_world.hpp"
#include "sim/config/document.hpp"
#include "tests/models/bitcoin/sample_moments.hpp"

namespace hs = hybridsim::sim;
using namespace hybridsim::models::bitcoin;

namespace {

// Rest-of-world hashrate that is constant, then multiplied by `factor` from `step_at_s` on.
class StepNetwork final : public NetworkModel {
 public:
  StepNetwork(hs::SimTime step_at_s, double factor) : step_at_s_(step_at_s), factor_(factor) {}
  double initial_ths(double implied_ths) override { return base_ths_ = implied_ths; }
  double next_ths(double, const NetworkStep& step, hs::Rng&) override {
    return step.now_s + step.dt_s >= step_at_s_ ? base_ths_ * factor_ : base_ths_;
  }

 private:
  hs::SimTime step_at_s_;
  double factor_;
  double base_ths_ = 0;
};

struct Blocks {
  std::vector<hs::SimTime> times;
  std::vector<double> difficulty;  // in force for the block after each one
};

// Runs the world alone (no facility) until `blocks` blocks were found.
Blocks run_world(const std::string& bitcoin_yaml, std::int64_t blocks, hs::SimTime step_at_s = -1,
                 double factor = 1.0) {
  BitcoinCatalogue cat;
  register_bitcoin_models(cat);
  cat.network.add({"step", "test", {}},
                  [=](const hs::config::Params&) { return std::make_unique<StepNetwork>(step_at_s, factor); });
  const std::string text = "bitcoin: " + bitcoin_yaml +
                           "\nbtc_price: {model: constant, initial_usd: 50000}"
                           "\nnetwork: {model: step}"
                           "\nfees: {model: constant, btc_per_block: 0}\n";
  auto world_doc = hs::config::Document::load_string(text, "world.yaml");
  hs::config::BuildContext build;
  build.epoch_unix_s = *hs::parse_utc("2024-01-01");
  build.horizon_s = 1'000'000'000'000;  // far beyond the blocks asked for
  const BitcoinWorldSpec spec = read_bitcoin_world(world_doc, world_doc.root(), "world", build, cat);

  hs::Engine engine;
  hs::RngStreams rng(2024);
  hs::output::Recorder recorder;
  hs::Ledger ledger;
  hs::WorldState kernel_world;
  BitcoinState state;
  hs::RunContext ctx{engine, rng, recorder, ledger, kernel_world, build, [&ledger] { return ledger.net_cash_usd(); }};
  BitcoinWorld world(spec, state);
  Blocks out;
  world.start(ctx, [&](const BlockFound& b) {
    out.times.push_back(b.time_s);
    out.difficulty.push_back(state.difficulty);
    if (static_cast<std::int64_t>(out.times.size()) == blocks) engine.stop();
  });
  engine.run_until(std::numeric_limits<std::int64_t>::max() / 4);
  return out;
}

std::vector<double> intervals(const Blocks& b, std::size_t from, std::size_t to) {
  std::vector<double> out;
  for (std::size_t i = from + 1; i < to; ++i) out.push_back(static_cast<double>(b.times[i] - b.times[i - 1]));
  return out;
}

}  // namespace

TEST_CASE("Poisson blocks at the starting difficulty come every 600 s on average", "[world][stats]") {
  // 100,000 blocks (49 retarget windows) with the hashrate the difficulty implies. Windows
  // are batches: their means give a standard error that allows for the retargets' feedback.
  const Blocks b = run_world("{start_height: 2015, start_difficulty: 1.0e13, retarget_timespan: full_2016}", 100000);
  REQUIRE(b.times.size() == 100000);
  std::vector<double> window_means;
  for (std::size_t w = 0; w + 2016 <= b.times.size(); w += 2016) {
    const auto x = intervals(b, w, w + 2016);
    double sum = 0;
    for (double v : x) sum += v;
    window_means.push_back(sum / static_cast<double>(x.size()));
  }
  const auto m = testing::moments(window_means);
  CHECK(std::abs(m.mean - 600.0) < 4 * m.se_mean);
  CHECK(m.se_mean < 3.0);  // the bound is tight: 600/sqrt(100000) ≈ 1.9 s without feedback
  // Exponential intervals: the standard deviation equals the mean.
  const auto all = testing::moments(intervals(b, 0, b.times.size()));
  CHECK(std::sqrt(all.variance) == Approx(600).epsilon(0.02));
}

TEST_CASE("deterministic blocks come exactly every 600 s and the difficulty holds", "[world]") {
  const Blocks b =
      run_world("{start_height: 2015, start_difficulty: 1.0e13, blocks: deterministic, retarget_timespan: full_2016}",
                10000);
  for (double dt : intervals(b, 0, b.times.size())) REQUIRE(dt == 600.0);
  CHECK(b.difficulty.back() == Approx(1.0e13).epsilon(1e-12));
}

TEST_CASE("Core's 2015-interval measurement settles at 600 x 2016/2015 s", "[world]") {
  const Blocks b = run_world("{start_height: 2015, start_difficulty: 1.0e13, blocks: deterministic}", 20160);
  // After the first retarget the difficulty is ×2016/2015 and stays there.
  CHECK(b.difficulty.back() == Approx(1.0e13 * 2016 / 2015).epsilon(1e-9));
  const double mean = static_cast<double>(b.times[20159] - b.times[2015]) / (20159 - 2015);
  CHECK(mean == Approx(600.0 * 2016 / 2015).epsilon(1e-5));
}

TEST_CASE("a doubling of hashrate is absorbed by the following retargets", "[world]") {
  // Deterministic blocks; the hashrate doubles one day into the first window.
  const Blocks b = run_world(
      "{start_height: 2015, start_difficulty: 1.0e13, blocks: deterministic, retarget_timespan: full_2016}", 4 * 2016,
      86400, 2.0);
  // Right after the step blocks come every 300 s...
  const auto early = intervals(b, 200, 1000);
  for (double dt : early) REQUIRE(dt == 300.0);
  // ...two retargets later the difficulty has doubled and the interval is back to 600 s.
  CHECK(b.difficulty[3 * 2016] == Approx(2.0e13).epsilon(1e-9));
  const auto late = intervals(b, 3 * 2016 + 1, 4 * 2016 - 1);
  for (double dt : late) REQUIRE(dt == 600.0);
}

TEST_CASE("deterministic blocks count from the start block's time", "[world]") {
  // The start block was found 200 s before the epoch: the next is due at +400 s.
  const Blocks b = run_world(
      "{start_height: 2015, start_difficulty: 1.0e13, blocks: deterministic, start_time: 2023-12-31T23:56:40Z}", 3);
  REQUIRE(b.times.size() == 3);
  CHECK(b.times[0] == 400);
  CHECK(b.times[1] == 1000);
}
