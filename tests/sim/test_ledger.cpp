// The ledger's two ways of integrating: integrate() walks every flow, integrate_live() only
// the pinned flows and those that have had a rate; both must give bit-identical totals and
// report the same non-finite states.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "sim/core/ledger.hpp"

using hybridsim::sim::Flow;
using hybridsim::sim::Ledger;

namespace {

// Steps both ledgers through the same rates and lumps: `rate(k, step)` for flow k.
template <typename Rate>
void run_both(Ledger& all, Ledger& live, Flow* const* a, Flow* const* b, int flows, Rate rate) {
  const long steps[] = {1, 7, 600, 3600, 13, 86400, 2, 599};
  int n = 0;
  for (const long dt : steps) {
    for (int k = 0; k < flows; ++k) a[k]->rate_per_s = b[k]->rate_per_s = rate(k, n);
    live.collect_live();
    REQUIRE(all.integrate(dt));
    REQUIRE(live.integrate_live(dt));
    ++n;
  }
}

}  // namespace

TEST_CASE("integrate_live gives the totals integrate gives, bit for bit", "[ledger]") {
  Ledger all, live;
  Flow* a[4];
  Flow* b[4];
  for (int k = 0; k < 4; ++k) {
    a[k] = &all.flow();
    b[k] = &live.flow();
  }
  live.pin(*b[3]);
  // Flow 0 always has a rate; 1 never; 2 gets one from the third step and loses it at the
  // sixth; 3 is pinned and has one on odd steps.
  run_both(all, live, a, b, 4, [](int k, int step) {
    switch (k) {
      case 0: return 0.1 * (step + 1) / 3.0;
      case 1: return 0.0;
      case 2: return step >= 2 && step < 5 ? 1.0 / 7.0 : 0.0;
      default: return step % 2 ? 2.0 / 3.0 : 0.0;
    }
  });
  a[1]->add(5.0);  // lumps count in both
  b[1]->add(5.0);
  for (int k = 0; k < 4; ++k) CHECK(a[k]->value() == b[k]->value());  // exactly
  const double r = 1.0 / 7.0;  // flow 2's rate over the steps of 600, 3600 and 13 s, in that order
  CHECK(b[2]->value() == (r * 600.0 + r * 3600.0) + r * 13.0);
  CHECK(b[1]->value() == 5.0);
}

TEST_CASE("integrate_live reports a non-finite rate, and a lump that makes a total non-finite", "[ledger]") {
  SECTION("a rate") {
    Ledger live;
    Flow& f = live.flow();
    live.collect_live();
    REQUIRE(live.integrate_live(10));
    f.rate_per_s = std::numeric_limits<double>::quiet_NaN();
    live.collect_live();
    CHECK_FALSE(live.integrate_live(10));
    CHECK(live.first_non_finite() == &f);
  }
  SECTION("a lump on a flow without a rate (not walked by integrate_live)") {
    Ledger live;
    Flow& f = live.flow();
    live.collect_live();
    f.add(std::numeric_limits<double>::infinity());
    CHECK_FALSE(live.integrate_live(10));
    CHECK(live.first_non_finite() == &f);
  }
}
