// Each dispatch policy's decide() on hand-built consumer lists, against limits worked out by
// hand from the policy's rule (see the comments: every number below is derived there).
#include <catch2/catch.hpp>

#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "dispatch_harness.hpp"
#include "models/dispatch/dispatch_catalogue.hpp"

using namespace dispatch_test;

namespace {

// The toy market. Halls: 0 = mining, 1 = hpc. In declaration order:
//   0  A  ASIC cohort  value  60 USD/MWh, demand 30 MW, ramp floor 6 MW
//   1  B  ASIC cohort  value  35 USD/MWh, demand 40 MW, ramp floor 8 MW
//   2  G  owned GPUs   value 500 USD/MWh, demand 25 MW, nameplate 30 MW (floor 0)
//   3  T  tenant GPUs  value  15 USD/MWh, demand 10 MW, nameplate 12 MW, not curtailable
// The tenant is declared last on purpose: the non-curtailable go first by rule, not by order.
std::vector<sim::ConsumerView> toy_market() {
  return {asic(0, 6, 30, 60), asic(0, 8, 40, 35), gpu(1, 25, 30, 500), gpu(1, 10, 12, 15, false)};
}

struct Interval {
  double cap_mw;
  double price;
};

// Three intervals: 100 MW at 20 USD/MWh, then 60 MW at 45, then 60 MW at 80.
constexpr Interval kIntervals[3] = {{100, 20}, {60, 45}, {60, 80}};

struct Expected {
  Policy policy;
  double limits[3][4];  // per interval, per consumer A, B, G, T
};

// Interval 1 — cap 100, p = 20: every value ≥ 20, so every target is the demand
//   (A 30, B 40, G 25, T 10: 105 MW wanted, 5 MW too many).
// Interval 2 — cap 60, p = 45: B (35 < 45) is curtailed to its floor 8; A (60), G (500) and
//   T (not curtailable) want their demand.
// Interval 3 — cap 60, p = 80: A (60 < 80) and B are curtailed to their floors 6 and 8;
//   G (500) and T want their demand.
const Expected kExpected[] = {
    // static: GPUs reserve their nameplate in declaration order (G 30, T 12), ASICs by value share the rest.
    //   1: 100 − 30 − 12 = 58 left; A takes 30 → 28 left; B gets 28 of its 40.
    //   2: 60 − 42 = 18 left; A wants 30, gets 18 → 0 left; B's floor 8 gets 0 (the cap is hard).
    //   3: 18 left; A floor 6 → 12 left; B floor 8 → 4 left (56 MW in all).
    {Policy::kStatic, {{30, 28, 30, 12}, {18, 0, 30, 12}, {6, 8, 30, 12}}},
    // ai_first: GPUs by value with the tenant first (T 10, G 25), then ASICs by value.
    //   1: 100 − 35 = 65 left; A 30 → 35 left; B 35 of 40.
    //   2: 60 − 35 = 25 left; A 25 of 30; B's floor gets 0.
    //   3: 25 left; A floor 6, B floor 8 (49 MW in all).
    {Policy::kAiFirst, {{30, 35, 25, 10}, {25, 0, 25, 10}, {6, 8, 25, 10}}},
    // mining_first: ASICs by value (A, B), then GPUs with the tenant first.
    //   1: A 30, B 40 → 30 left; T 10 → 20 left; G 20 of 25.
    //   2: A 30 → 30 left; B floor 8 → 22 left; T 10 → 12 left; G 12 of 25.
    //   3: A 6, B 8 → 46 left; T 10, G 25 (49 MW in all).
    {Policy::kMiningFirst, {{30, 40, 20, 10}, {30, 8, 12, 10}, {6, 8, 25, 10}}},
    // marginal_value: T (not curtailable) first, then by value G 500 > A 60 > B 35.
    //   1: T 10, G 25, A 30 → 35 left; B 35 of 40.
    //   2: T 10, G 25 → 25 left; A 25 of 30; B's floor gets 0.
    //   3: T 10, G 25, A floor 6, B floor 8.
    {Policy::kMarginalValue, {{30, 35, 25, 10}, {25, 0, 25, 10}, {6, 8, 25, 10}}},
    // price_threshold, fixed 40: GPUs first (T 10, G 25), then ASICs run while p ≤ 40.
    //   1: p = 20 ≤ 40: A 30 → 35 left; B 35.
    //   2: p = 45 > 40: both to their floors although A is worth 60: A 6, B 8 (49 MW in all).
    //   3: p = 80 > 40: A 6, B 8.
    {Policy::kThresholdFixed40, {{30, 35, 25, 10}, {6, 8, 25, 10}, {6, 8, 25, 10}}},
    // price_threshold, k = 1: thresholds are the values, A 60 and B 35.
    //   1: 20 ≤ 60 and 20 ≤ 35: A 30, B 35 (the rest of the cap).
    //   2: 45 ≤ 60: A wants 30, 25 left → 25; 45 > 35: B floor 8, 0 left → 0.
    //   3: 80 > 60 and 80 > 35: A 6, B 8.
    {Policy::kThresholdK1, {{30, 35, 25, 10}, {25, 0, 25, 10}, {6, 8, 25, 10}}},
};

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

}  // namespace

TEST_CASE("toy market: every policy's limits over three intervals, by hand", "[dispatch][policy]") {
  const auto market = toy_market();
  const std::vector<double> no_hall_limits{kNoLimit, kNoLimit};
  for (const auto& e : kExpected) {
    auto policy = make(e.policy);
    for (int k = 0; k < 3; ++k) {
      INFO(name(e.policy) << ", interval " << k + 1 << " (cap " << kIntervals[k].cap_mw << " MW, price "
                          << kIntervals[k].price << ")");
      const auto limits = decide(*policy, market, kIntervals[k].cap_mw, kIntervals[k].price, no_hall_limits);
      for (int i = 0; i < 4; ++i) {
        INFO("consumer " << "ABGT"[i]);
        CHECK(limits[i] == Approx(e.limits[k][i]).margin(1e-12));
      }
      CHECK(sum(limits) <= kIntervals[k].cap_mw);
    }
  }
}

TEST_CASE("toy market: hall limits bind before the cap", "[dispatch][policy][hall]") {
  const auto market = toy_market();
  // Cap 100, p = 20 (every target is the demand); mining hall limited to 50, hpc hall to 30.
  const std::vector<double> halls{50, 30};
  // ai_first: T 10 (hpc 20 left), G 20 of 25 (hpc 0 left; cap 70 left), A 30 (mining 20 left,
  //   cap 40 left), B min(40, 40, 20) = 20.
  // mining_first: A 30, B 20 (mining full; cap 50 left), T 10 (hpc 20 left), G 20.
  // marginal_value: T 10, G 20, A 30, B 20.  price_threshold (p = 20 runs everything): the same.
  // All: [30, 20, 20, 10], 80 MW under a 100 MW cap — the halls bind, not the cap.
  for (Policy p : {Policy::kAiFirst, Policy::kMiningFirst, Policy::kMarginalValue, Policy::kThresholdFixed40,
                   Policy::kThresholdK1}) {
    INFO(name(p));
    const auto limits = decide(*make(p), market, 100, 20, halls);
    CHECK(limits == std::vector<double>{30, 20, 20, 10});
  }
  // static with the hpc hall at 42 (room for both nameplates, 30 + 12): G 30, T 12 (hpc 0 left;
  // cap 58 left); A 30 (mining 20 left; cap 28 left); B min(40, 28, 20) = 20.
  const auto st = decide(*make(Policy::kStatic), market, 100, 20, {50, 42});
  CHECK(st == std::vector<double>{30, 20, 30, 12});
  // A hall limit below a consumer's floor wins over the floor: mining hall at 5 MW, p = 80
  // (A and B curtailed to floors 6 and 8): marginal_value gives A min(6, 5) = 5, B 0.
  const auto floors = decide(*make(Policy::kMarginalValue), market, 100, 80, {5, kNoLimit});
  CHECK(floors == std::vector<double>{5, 0, 25, 10});
}

TEST_CASE("a curtailed consumer keeps its ramp floor when the cap has room", "[dispatch][policy][ramp]") {
  // One cohort worth 30 USD/MWh at p = 50, floor 12 of its 40 MW (it is ramping down), and an
  // owned GPU cluster worth 20 USD/MWh (less than the price: its floor is 0). Cap 100.
  // Every policy but static: the cohort gets its floor 12 (not 0, not 40), the GPUs 0.
  // static: the GPUs reserve their nameplate 15 whatever they are worth; the cohort gets 12.
  // price_threshold: 50 > 40 (fixed) and 50 > 1 × 30 (k = 1): the floor, 12.
  const std::vector<sim::ConsumerView> c{asic(0, 12, 40, 30), gpu(0, 10, 15, 20)};
  for (Policy p : {Policy::kStatic, Policy::kAiFirst, Policy::kMiningFirst, Policy::kMarginalValue,
                   Policy::kThresholdFixed40, Policy::kThresholdK1}) {
    INFO(name(p));
    const auto limits = decide(*make(p), c, 100, 50, {kNoLimit});
    CHECK(limits[0] == 12.0);
    CHECK(limits[1] == (p == Policy::kStatic ? 15.0 : 0.0));
  }
  // Worth exactly the price counts as worth it (v ≥ p): at p = 30 the cohort gets its demand.
  CHECK(decide(*make(Policy::kMarginalValue), c, 100, 30, {kNoLimit})[0] == 40.0);
  // A cohort that may not be curtailed (shutoff: false) runs at its demand whatever the price.
  const std::vector<sim::ConsumerView> forced{asic(0, 12, 40, 30, false)};
  for (Policy p : {Policy::kStatic, Policy::kAiFirst, Policy::kMiningFirst, Policy::kMarginalValue,
                   Policy::kThresholdFixed40, Policy::kThresholdK1}) {
    INFO(name(p));
    CHECK(decide(*make(p), forced, 100, 500, {kNoLimit})[0] == 40.0);
  }
}

TEST_CASE("a negative price runs every load, even one worth nothing", "[dispatch][policy][negative]") {
  // p = −10 USD/MWh: the grid pays the facility to consume. A cohort worth 0 (hashprice gone),
  // one worth 35, an idle owned GPU cluster worth 0 (demand 4 MW of idle power, nameplate 30),
  // and the tenant. Cap 200, so nothing binds: every target is the demand since v ≥ −10.
  //   A 30, B 40, G 4, T 10 (static: G and T at their nameplates 30 and 12).
  // price_threshold: −10 ≤ 40 (fixed); k = 1 thresholds 0 and 35, both ≥ −10.
  const std::vector<sim::ConsumerView> c{asic(0, 0, 30, 0), asic(0, 8, 40, 35), gpu(1, 4, 30, 0),
                                         gpu(1, 10, 12, 15, false)};
  for (Policy p : {Policy::kStatic, Policy::kAiFirst, Policy::kMiningFirst, Policy::kMarginalValue,
                   Policy::kThresholdFixed40, Policy::kThresholdK1}) {
    INFO(name(p));
    const auto limits = decide(*make(p), c, 200, -10, {kNoLimit, kNoLimit});
    const bool st = p == Policy::kStatic;
    CHECK(limits == std::vector<double>{30, 40, st ? 30.0 : 4.0, st ? 12.0 : 10.0});
  }
  // At a positive price the worthless cohort and the idle cluster stop (marginal_value, p = 1):
  // A to its floor 0, G to 0.
  const auto pos = decide(*make(Policy::kMarginalValue), c, 200, 1, {kNoLimit, kNoLimit});
  CHECK(pos == std::vector<double>{0, 40, 0, 10});
}

TEST_CASE("price_threshold: a fixed threshold and k × each cohort's break-even", "[dispatch][policy][threshold]") {
  // Two cohorts worth 30 and 50 USD/MWh (their break-even prices), floors 2 and 3, demands 20
  // and 25; cap 100 never binds.
  const std::vector<sim::ConsumerView> c{asic(0, 2, 20, 30), asic(0, 3, 25, 50)};
  const std::vector<double> halls{kNoLimit};
  using dsp::PriceThreshold;
  // Fixed 40 at p = 40: p ≤ 40 runs both, the one worth 30 too (the rule ignores value).
  CHECK(decide(*std::make_unique<PriceThreshold>(40.0, std::nullopt), c, 100, 40, halls) == std::vector<double>{20, 25});
  // Fixed 40 at p = 40.01: both curtailed to their floors, the one worth 50 too.
  CHECK(decide(*std::make_unique<PriceThreshold>(40.0, std::nullopt), c, 100, 40.01, halls) ==
        std::vector<double>{2, 3});
  // At p = 40: k = 1 thresholds 30 and 50: the first stops (40 > 30), the second runs.
  CHECK(decide(*std::make_unique<PriceThreshold>(std::nullopt, 1.0), c, 100, 40, halls) == std::vector<double>{2, 25});
  // k = 1.5: thresholds 45 and 75, both run through the spike to 40.
  CHECK(decide(*std::make_unique<PriceThreshold>(std::nullopt, 1.5), c, 100, 40, halls) == std::vector<double>{20, 25});
  // k = 0.5: thresholds 15 and 25, both stop before break-even (40 < 50 but 40 > 25).
  CHECK(decide(*std::make_unique<PriceThreshold>(std::nullopt, 0.5), c, 100, 40, halls) == std::vector<double>{2, 3});
  // The threshold follows hashprice: the same cohort at twice the value (hashprice doubled)
  // has twice the threshold: k = 1, p = 55: v 30 → stops (55 > 30), v 60 → runs (55 ≤ 60).
  const std::vector<sim::ConsumerView> doubled{asic(0, 2, 20, 60), asic(0, 3, 25, 100)};
  CHECK(decide(*std::make_unique<PriceThreshold>(std::nullopt, 1.0), c, 100, 55, halls) == std::vector<double>{2, 3});
  CHECK(decide(*std::make_unique<PriceThreshold>(std::nullopt, 1.0), doubled, 100, 55, halls) ==
        std::vector<double>{20, 25});
  // Exactly one of the two parameters.
  CHECK_THROWS_AS(PriceThreshold(std::nullopt, std::nullopt), std::invalid_argument);
  CHECK_THROWS_AS(PriceThreshold(40.0, 1.0), std::invalid_argument);
}

TEST_CASE("the policies are registered under their scenario names", "[dispatch][registry]") {
  dsp::DispatchCatalogue cat;
  dsp::register_dispatch_policies(cat);
  for (const char* n : {"static", "ai_first", "mining_first", "marginal_value", "price_threshold"}) {
    INFO(n);
    CHECK(cat.dispatch.find(n) != nullptr);
  }
}
