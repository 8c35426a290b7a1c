// The PowerArbiter with fake consumers: it enforces the cap and the hall limits whatever the
// policy writes, checks that nobody draws above its limit, lowers limits before it raises
// others, and coalesces the decisions asked for at one instant.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "dispatch_harness.hpp"
#include "sim/core/engine.hpp"
#include "sim/facility/power_arbiter.hpp"

using namespace dispatch_test;

namespace {

class FakeConsumer;

/// What the fakes share: every set_power_limit_mw call in order, and the most the whole
/// facility drew right after any one of them.
struct Meter {
  std::vector<FakeConsumer*> all;
  std::vector<std::pair<std::string, double>> calls;
  double worst_total_mw = 0.0;
  double total_mw() const;
  void reset() {
    calls.clear();
    worst_total_mw = 0.0;
  }
};

/// A consumer that follows its limit at once: it draws min(demand, limit) — or, when told to
/// misbehave, its demand whatever the limit.
class FakeConsumer final : public sim::PowerConsumer {
 public:
  FakeConsumer(Meter& meter, std::string name, std::string hall, double demand_mw, double value,
               sim::LoadKind kind = sim::LoadKind::kAsic)
      : meter_(meter), name_(std::move(name)), hall_(std::move(hall)), kind_(kind), demand_mw_(demand_mw), value_(value) {
    meter_.all.push_back(this);
  }
  const std::string& name() const override { return name_; }
  const std::string& hall() const override { return hall_; }
  sim::LoadKind kind() const override { return kind_; }
  double power_mw() const override { return overdraw ? demand_mw_ : std::min(demand_mw_, limit_mw_); }
  double min_power_mw() const override { return 0.0; }
  double max_power_mw() const override { return demand_mw_; }
  double nameplate_mw() const override { return demand_mw_; }
  void set_power_limit_mw(double limit_mw) override {
    limit_mw_ = limit_mw;
    meter_.calls.emplace_back(name_, limit_mw);
    meter_.worst_total_mw = std::max(meter_.worst_total_mw, meter_.total_mw());
  }
  double power_limit_mw() const override { return limit_mw_; }
  double value_usd_per_mwh() const override { return value_; }

  void set_value(double v) { value_ = v; }
  /// Demand moves outside a decision: tells the arbiter, as a job arrival would.
  void set_demand(double mw) {
    demand_mw_ = mw;
    demand_changed();
  }
  bool overdraw = false;

 private:
  Meter& meter_;
  std::string name_, hall_;
  sim::LoadKind kind_;
  double demand_mw_;
  double value_;
  double limit_mw_ = std::numeric_limits<double>::infinity();
};

double Meter::total_mw() const {
  double mw = 0.0;
  for (const auto* c : all) mw += c->power_mw();
  return mw;
}

/// A policy that writes whatever it is told to (an overshooting or broken policy).
class Scripted final : public sim::DispatchPolicy {
 public:
  explicit Scripted(std::vector<double> limits) : limits_(std::move(limits)) {}
  void decide(const sim::DispatchInput&, std::span<double> limit_mw) override {
    std::copy(limits_.begin(), limits_.end(), limit_mw.begin());
  }

 private:
  std::vector<double> limits_;
};

sim::HallSpec hall(const std::string& name, double limit_mw = kNoLimit) { return sim::HallSpec{name, 1.0, limit_mw}; }

std::vector<sim::CapStep> cap(double mw) { return {sim::CapStep{0, mw}}; }

}  // namespace

TEST_CASE("arbiter: enforce() scales an overshooting policy down to the cap", "[arbiter]") {
  Meter m;
  FakeConsumer a(m, "a", "h", 100, 1), b(m, "b", "h", 100, 1), c(m, "c", "h", 100, 1), d(m, "d", "h", 100, 1);
  // The policy asks for 80 + 40 = 120 MW under a 100 MW cap, and writes NaN and −5 for the others.
  sim::PowerArbiter arb({hall("h")}, cap(100),
                        std::make_unique<Scripted>(std::vector<double>{80, 40, std::nan(""), -5}), 3600);
  for (auto* x : m.all) arb.add(*x);
  arb.decide();
  // NaN and −5 become 0; then 120 > 100 scales all by 100/120 (less 1e-15): 66.67 and 33.33.
  CHECK(a.power_limit_mw() == Approx(80.0 * 100 / 120).epsilon(1e-12));
  CHECK(b.power_limit_mw() == Approx(40.0 * 100 / 120).epsilon(1e-12));
  CHECK(c.power_limit_mw() == 0.0);
  CHECK(d.power_limit_mw() == 0.0);
  CHECK(a.power_limit_mw() + b.power_limit_mw() <= 100.0);
  CHECK(arb.grid_power_mw() <= 100.0);
  CHECK_NOTHROW(arb.check_invariants());
}

TEST_CASE("arbiter: enforce() scales a hall down to its limit, then the facility to the cap", "[arbiter][hall]") {
  Meter m;
  FakeConsumer a(m, "a", "small", 100, 1), b(m, "b", "small", 100, 1), c(m, "c", "big", 100, 1);
  SECTION("the hall binds, the cap does not") {
    // Hall 'small' limited to 50: a 40 and b 20 (60 MW) become 40·50/60 = 33.33 and 20·50/60 =
    // 16.67; c keeps 45. Total 95 ≤ 100: no further scaling.
    sim::PowerArbiter arb({hall("small", 50), hall("big")}, cap(100),
                          std::make_unique<Scripted>(std::vector<double>{40, 20, 45}), 3600);
    for (auto* x : m.all) arb.add(*x);
    arb.decide();
    CHECK(a.power_limit_mw() == Approx(40.0 * 50 / 60).epsilon(1e-12));
    CHECK(b.power_limit_mw() == Approx(20.0 * 50 / 60).epsilon(1e-12));
    CHECK(c.power_limit_mw() == 45.0);
    CHECK(arb.hall_power_mw(0) <= 50.0 * (1 + 1e-12));
    CHECK_NOTHROW(arb.check_invariants());
  }
  SECTION("both bind") {
    // Hall 'small' at 50: 60 → 50 (33.33 + 16.67); with c at 70 the total is 120 > 100, scaled by
    // 100/120: a 27.78, b 13.89, c 58.33.
    sim::PowerArbiter arb({hall("small", 50), hall("big")}, cap(100),
                          std::make_unique<Scripted>(std::vector<double>{40, 20, 70}), 3600);
    for (auto* x : m.all) arb.add(*x);
    arb.decide();
    CHECK(a.power_limit_mw() == Approx(40.0 * 50 / 60 * 100 / 120).epsilon(1e-12));
    CHECK(b.power_limit_mw() == Approx(20.0 * 50 / 60 * 100 / 120).epsilon(1e-12));
    CHECK(c.power_limit_mw() == Approx(70.0 * 100 / 120).epsilon(1e-12));
    CHECK(arb.grid_power_mw() <= 100.0);
    CHECK_NOTHROW(arb.check_invariants());
  }
}

TEST_CASE("arbiter: check_invariants throws when a consumer draws above its limit", "[arbiter]") {
  Meter m;
  FakeConsumer a(m, "a", "h", 30, 10), b(m, "greedy", "h", 50, 5);
  // marginal_value under a 60 MW cap: a 30 (worth more), greedy 30 of its 50.
  sim::PowerArbiter arb({hall("h")}, cap(60), make(Policy::kMarginalValue), 3600);
  arb.add(a);
  arb.add(b);
  arb.decide();
  REQUIRE(b.power_limit_mw() == 30.0);
  CHECK_NOTHROW(arb.check_invariants());
  b.overdraw = true;  // draws its 50 MW against a 30 MW limit
  CHECK_THROWS_WITH(arb.check_invariants(), Catch::Contains("greedy draws 50.000000 MW, its limit is 30.000000 MW"));
  b.overdraw = false;
  CHECK_NOTHROW(arb.check_invariants());
}

TEST_CASE("arbiter: a consumer in an unknown hall is refused", "[arbiter]") {
  Meter m;
  FakeConsumer a(m, "a", "nowhere", 1, 1);
  sim::PowerArbiter arb({hall("h")}, cap(10), make(Policy::kMarginalValue), 3600);
  CHECK_THROWS_WITH(arb.add(a), Catch::Contains("stands in unknown hall nowhere"));
}

TEST_CASE("arbiter: lower limits are applied before higher ones", "[arbiter][order]") {
  Meter m;
  // y is declared first, so applying in declaration order would raise y before x is lowered.
  FakeConsumer y(m, "y", "h", 70, 50), x(m, "x", "h", 60, 100);
  sim::PowerArbiter arb({hall("h")}, cap(100), make(Policy::kMarginalValue), 3600);
  arb.add(y);
  arb.add(x);
  arb.decide();
  // marginal_value: x (100) gets its 60, y (50) the remaining 40.
  REQUIRE(x.power_limit_mw() == 60.0);
  REQUIRE(y.power_limit_mw() == 40.0);
  REQUIRE(m.total_mw() == 100.0);
  CHECK(m.calls.size() == 2);  // each consumer is told its limit once a decision
  m.reset();
  // Values swap: y (200) now gets its 70 and x (10) the remaining 30. Raising y first would
  // draw 70 + 60 = 130 MW for a moment; lowering x first draws 40 + 30 = 70, then 100.
  y.set_value(200);
  x.set_value(10);
  arb.decide();
  // Exactly two calls: x lowered first, then y raised (x is not told again in the second pass).
  REQUIRE(m.calls.size() == 2);
  CHECK(m.calls[0] == std::make_pair(std::string("x"), 30.0));
  CHECK(m.calls[1] == std::make_pair(std::string("y"), 70.0));
  CHECK(m.worst_total_mw <= 100.0);
  CHECK(m.total_mw() == 100.0);
}

TEST_CASE("arbiter: decisions asked for at one instant are coalesced into one", "[arbiter][engine]") {
  Meter m;
  FakeConsumer a(m, "a", "h", 10, 100), b(m, "b", "h", 10, 50);
  sim::Engine engine;
  sim::PowerArbiter arb({hall("h")}, cap(100), make(Policy::kMarginalValue), 3600);
  arb.add(a);
  arb.add(b);
  arb.start(engine);  // the first decision, now
  REQUIRE(arb.decisions() == 1);
  // At t = 100: three demand changes, a price change and an explicit request — one decision,
  // run after them, which sees the last demand (a at 40 MW).
  engine.at(100, [&] {
    a.set_demand(20);
    b.set_demand(30);
    a.set_demand(40);
    arb.set_prices(50, 50);
    arb.request_decision();
  }, sim::priority::kFacility);
  engine.run_until(200);
  CHECK(arb.decisions() == 2);
  CHECK(a.power_limit_mw() == 40.0);
  CHECK(b.power_limit_mw() == 30.0);
  // The same price again asks for nothing; a new one does (one more decision).
  engine.at(300, [&] { arb.set_prices(50, 50); });
  engine.at(400, [&] {
    arb.set_prices(60, 60);
    arb.set_prices(70, 70);
  });
  engine.run_until(500);
  CHECK(arb.decisions() == 3);
  // The decision step: at t = 3600 and 7200 (two more).
  engine.run_until(7200);
  CHECK(arb.decisions() == 5);
}

TEST_CASE("arbiter: a static split does not follow demand, only the clock, prices and the cap", "[arbiter][engine]") {
  Meter m;
  FakeConsumer g(m, "g", "h", 10, 100, sim::LoadKind::kGpu);
  sim::Engine engine;
  // The cap steps from 100 to 50 MW at t = 1000: a decision at once.
  sim::PowerArbiter arb({hall("h")}, {sim::CapStep{0, 100}, sim::CapStep{1000, 50}}, make(Policy::kStatic), 3600);
  arb.add(g);
  arb.start(engine);
  engine.at(100, [&] { g.set_demand(20); });
  engine.run_until(500);
  CHECK(arb.decisions() == 1);  // the demand change asked for nothing
  engine.run_until(1000);
  CHECK(arb.decisions() == 2);  // the cap step
  CHECK(arb.cap_mw() == 50.0);
  // static reserves the nameplate (the fake's demand, 20 MW).
  CHECK(g.power_limit_mw() == 20.0);
}

TEST_CASE("arbiter: curtailed MW and the main reason", "[arbiter]") {
  Meter m;
  // Cap 50, p = 40: 'cheap' (worth 30) is curtailed by the price (demand 20 → 0), 'rich' (worth
  // 90, demand 60) by the cap (60 → 50). Unserved: 20 + 10 = 30 MW; mostly price (20 > 10).
  FakeConsumer cheap(m, "cheap", "h", 20, 30), rich(m, "rich", "h", 60, 90);
  sim::PowerArbiter arb({hall("h")}, cap(50), make(Policy::kMarginalValue), 3600);
  arb.add(cheap);
  arb.add(rich);
  arb.set_prices(40, 40);
  arb.decide();
  CHECK(cheap.power_limit_mw() == 0.0);
  CHECK(rich.power_limit_mw() == 50.0);
  CHECK(arb.curtailed_mw() == Approx(30.0));
  CHECK(arb.curtail_reason() == sim::CurtailReason::kPrice);
  // At p = 10 both are worth it: 80 MW wanted, 50 served; unserved 30, all by the cap.
  arb.set_prices(10, 10);
  arb.decide();
  CHECK(arb.curtailed_mw() == Approx(30.0));
  CHECK(arb.curtail_reason() == sim::CurtailReason::kCap);
}
