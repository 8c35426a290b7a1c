// The contracted terminal value against hand-computed sums: a lease's monthly lumps after
// the horizon (geometric series), its partial last month, and the default hazard's weight.
#include <catch2/catch.hpp>

#include <cmath>

#include "sim/finance/terminal_value.hpp"

namespace fin = hybridsim::sim::finance;

TEST_CASE("a lease's contracted tail is its monthly net cash, discounted", "[finance][terminal]") {
  // c = 120 USD/year from H = 1 to E = 3 years at r = 10 %: 24 lumps of 10 USD at 1 + k/12.
  //   PV = 10 · 1.1^−1 · Σ_{k=1}^{24} v^k = 10 · 1.1^−1 · v (1 − v^24) / (1 − v),  v = 1.1^(−1/12)
  const auto lumps = fin::contracted_lumps({"lease", 120.0, 3.0, 0.0}, 1.0);
  REQUIRE(lumps.size() == 24);
  CHECK(lumps.front().t_years == Approx(1.0 + 1.0 / 12));
  CHECK(lumps.back().t_years == Approx(3.0));
  const double v = std::pow(1.1, -1.0 / 12);
  CHECK(fin::npv_usd(lumps, 0.1) == Approx(10 / 1.1 * v * (1 - std::pow(v, 24)) / (1 - v)).epsilon(1e-12));
  CHECK(fin::npv_usd(lumps, 0.0) == Approx(240.0).epsilon(1e-12));
}

TEST_CASE("a partial last month is paid pro rata at the term's end", "[finance][terminal]") {
  // E − H = 0.2 year = 2.4 months: 2 lumps of c/12, then c · (0.2 − 2/12) at E.
  const auto lumps = fin::contracted_lumps({"lease", 1200.0, 5.2, 0.0}, 5.0);
  REQUIRE(lumps.size() == 3);
  CHECK(lumps[0].usd == Approx(100.0));
  CHECK(lumps[1].usd == Approx(100.0));
  CHECK(lumps[2].usd == Approx(1200.0 * (0.2 - 2.0 / 12)).epsilon(1e-9));
  CHECK(lumps[2].t_years == 5.2);
  // Ended by the horizon: nothing.
  CHECK(fin::contracted_lumps({"lease", 1200.0, 5.0, 0.0}, 5.0).empty());
  CHECK(fin::contracted_lumps({"lease", 1200.0, 4.0, 0.0}, 5.0).empty());
}

TEST_CASE("a default hazard weighs each lump by the chance the tenant still pays", "[finance][terminal]") {
  // λ = 0.5/year: lump k is 10 · e^(−0.5 k/12); at r = 0 the sum is geometric in q = e^(−0.5/12).
  const auto lumps = fin::contracted_lumps({"lease", 120.0, 2.0, 0.5}, 1.0);
  REQUIRE(lumps.size() == 12);
  const double q = std::exp(-0.5 / 12);
  CHECK(lumps[0].usd == Approx(10 * q).epsilon(1e-12));
  CHECK(fin::npv_usd(lumps, 0.0) == Approx(10 * q * (1 - std::pow(q, 12)) / (1 - q)).epsilon(1e-12));
}
