#include <catch2/catch.hpp>

#include "power_harness.hpp"

using namespace power_test;
using hybridsim::sim::PowerPriceModel;
using hybridsim::sim::Rng;

TEST_CASE("every power price model is registered", "[power]") {
  for (const char* n : {"fixed", "time_of_use", "ou_spot", "csv", "ppa"}) CHECK(catalogue().power_price.find(n));
}

TEST_CASE("fixed: one step that never ends, billed at mw × price", "[power]") {
  auto m = build("{model: fixed, price_usd_per_mwh: 42.5}");
  Rng rng(1);
  const Rng before = rng;
  const auto s = m->step(0, rng);
  CHECK(s.usd_per_mwh == 42.5);
  CHECK(s.until_s == PowerPriceModel::kNever);
  CHECK(rng == before);  // draws nothing
  CHECK(m->cost_usd_per_h(10.0, s.usd_per_mwh) == 425.0);
  CHECK(build("{model: fixed, price_usd_per_mwh: -5}")->step(0, rng).usd_per_mwh == -5.0);
  CHECK_THROWS_WITH(build("{model: fixed}"), Catch::Contains("missing required key 'price_usd_per_mwh'"));
}
