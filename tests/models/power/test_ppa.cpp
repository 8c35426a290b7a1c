#include <catch2/catch.hpp>

#include "power_harness.hpp"

using namespace power_test;
using hybridsim::sim::Rng;

TEST_CASE("ppa: block at the contract price, the rest bought or sold back at spot", "[power][ppa]") {
  auto m = build("{model: ppa, block_mw: 10, contract_usd_per_mwh: 50, spot: {model: fixed, price_usd_per_mwh: 30}}");
  Rng rng(1);
  const auto s = m->step(0, rng);
  CHECK(s.usd_per_mwh == 30.0);  // the marginal price is spot's
  // Above the block: 10 MW × 50 + 5 MW × 30.
  CHECK(m->cost_usd_per_h(15.0, 30.0) == Approx(650.0));
  // Below the block: 10 × 50 − 6 MW sold back × 30.
  CHECK(m->cost_usd_per_h(4.0, 30.0) == Approx(320.0));
  // Exactly the block: spot does not matter.
  CHECK(m->cost_usd_per_h(10.0, 999.0) == Approx(500.0));
  // Negative spot: selling back costs money, buying more earns it.
  CHECK(m->cost_usd_per_h(4.0, -10.0) == Approx(560.0));
  CHECK(m->cost_usd_per_h(12.0, -10.0) == Approx(480.0));
}

TEST_CASE("ppa: steps are the nested spot model's, draw for draw", "[power][ppa]") {
  const std::string spot = "{model: ou_spot, spike: {rate_per_year: 400}}";
  auto ppa = build("{model: ppa, block_mw: 5, contract_usd_per_mwh: 45, spot: " + spot + "}");
  auto alone = build(spot);
  Rng a(7), b(7);
  hybridsim::sim::SimTime t = 0;
  for (int i = 0; i < 500; ++i) {
    const auto x = ppa->step(t, a);
    const auto y = alone->step(t, b);
    REQUIRE(x.usd_per_mwh == y.usd_per_mwh);
    REQUIRE(x.until_s == y.until_s);
    t = x.until_s;
  }
}

TEST_CASE("ppa: the spot map is read through the registry, with located errors", "[power][ppa]") {
  CHECK_THROWS_WITH(build("{model: ppa, block_mw: 5, contract_usd_per_mwh: 45}"),
                    Catch::Contains("missing required key 'spot'"));
  CHECK_THROWS_WITH(build("{model: ppa, block_mw: 5, contract_usd_per_mwh: 45, spot: {model: ppa}}"),
                    Catch::Contains("world.power_price.spot.model: unknown model 'ppa'; valid models: fixed, time_of_use, ou_spot, csv"));
  CHECK_THROWS_WITH(build("{model: ppa, block_mw: 5, contract_usd_per_mwh: 45, spot: {model: ou_spot, mean: 3}}"),
                    Catch::Contains("unknown key 'mean' in 'world.power_price.spot'"));
  CHECK_THROWS_WITH(build("{model: ppa, block_mw: 5, contract_usd_per_mwh: 45,\n spot: {model: ou_spot, reversion_per_day: 0}}"),
                    Catch::Contains("scenario.yaml:2:") && Catch::Contains("world.power_price.spot.reversion_per_day: 0 is out of range"));
  CHECK_THROWS_WITH(build("{model: ppa, block_mw: -1, contract_usd_per_mwh: 45, spot: {model: fixed, price_usd_per_mwh: 1}}"),
                    Catch::Contains("world.power_price.block_mw: -1 is out of range; expected number >= 0 (MW)"));
  CHECK_THROWS_WITH(build("{model: ppa, block_mw: 1, contract_usd_per_mwh: 45, spot: 3}"),
                    Catch::Contains("world.power_price.spot: expected a map with 'model: NAME'"));
}

TEST_CASE("ppa: defaults of the nested model land in the resolved scenario", "[power][ppa]") {
  auto doc = hybridsim::sim::config::Document::load_string(
      "{model: ppa, block_mw: 5, contract_usd_per_mwh: 45, spot: {model: ou_spot}}", "scenario.yaml");
  (void)hybridsim::sim::config::read_model(doc, doc.root(), "world.power_price", catalogue().power_price, context());
  CHECK(doc.root()["spot"]["mean_usd_per_mwh"].as<double>() == 40.0);
  CHECK(doc.root()["spot"]["spike"]["rate_per_year"].as<double>() == 8.0);
}
