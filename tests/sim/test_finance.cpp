// Hand-computed finance: NPV and IRR closed forms, payback, drawdown, a loan's amortisation
// table and straight-line depreciation.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "sim/finance/investment_metrics.hpp"
#include "sim/finance/loan.hpp"
#include "sim/finance/straight_line.hpp"

namespace fin = hybridsim::sim::finance;
using hybridsim::sim::kSecondsPerYear;

TEST_CASE("NPV of an annuity equals its closed form", "[finance]") {
  // −P at 0 and C at the end of years 1..n: NPV = −P + C (1 − (1 + r)^−n) / r.
  const double p = 1000.0, c = 300.0, r = 0.08;
  const int n = 5;
  std::vector<fin::DatedCash> s{{0.0, -p}};
  for (int k = 1; k <= n; ++k) s.push_back({static_cast<double>(k), c});
  CHECK(fin::npv_usd(s, r) == Approx(-p + c * (1 - std::pow(1 + r, -n)) / r).epsilon(1e-12));
  CHECK(fin::npv_usd(s, 0.0) == Approx(-p + n * c));
}

TEST_CASE("IRR of a one-period and a two-period stream", "[finance]") {
  // −100 at 0, +110 at 1 year: IRR = 10 %.
  CHECK(fin::irr_per_year({{0.0, -100.0}, {1.0, 110.0}}) == Approx(0.10).epsilon(1e-12));
  // −100 at 0, +60 at 1, +60 at 2: 60 x² + 60 x − 100 = 0 with x = 1/(1+r).
  const double x = (-60.0 + std::sqrt(60.0 * 60.0 + 4 * 60.0 * 100.0)) / (2 * 60.0);
  CHECK(fin::irr_per_year({{0.0, -100.0}, {1.0, 60.0}, {2.0, 60.0}}) == Approx(1 / x - 1).epsilon(1e-10));
  // Two roots (−100, +230, −132 at 0, 1, 2: roots 10 % and 20 %): the smallest non-negative.
  CHECK(fin::irr_per_year({{0.0, -100.0}, {1.0, 230.0}, {2.0, -132.0}}) == Approx(0.10).epsilon(1e-10));
  // A loss: a negative rate (−100 then +90: −10 %; −100 then +75: −25 %, off the grid).
  CHECK(fin::irr_per_year({{0.0, -100.0}, {1.0, 90.0}}) == Approx(-0.10).epsilon(1e-10));
  CHECK(fin::irr_per_year({{0.0, -100.0}, {1.0, 75.0}}) == Approx(-0.25).epsilon(1e-10));
  // A stream that never pays back has none.
  CHECK(std::isnan(fin::irr_per_year({{0.0, -100.0}, {1.0, -10.0}})));
  // A project that doubles its money in 30 days has a rate of thousands of percent, still found.
  const double fast = fin::irr_per_year({{0.0, -100.0}, {30.0 / 365.25, 200.0}});
  CHECK(fast == Approx(std::pow(2.0, 365.25 / 30.0) - 1).epsilon(1e-9));
}

namespace {
// Ten years of hourly net cash: −capex at 0, then hourly profit `profit(t)` plus a small
// deterministic ripple (so flows within a week differ), dated at the end of each hour.
template <class Profit>
std::vector<fin::DatedCash> hourly_stream(double capex_usd, const Profit& profit) {
  std::vector<fin::DatedCash> s{{0.0, -capex_usd}};
  const int hours = 87660;
  for (int h = 1; h <= hours; ++h) {
    const double t = h / 8766.0;
    s.push_back({t, profit(t) * (1.0 + 0.3 * std::sin(0.7 * h))});
  }
  return s;
}

}  // namespace

TEST_CASE("the IRR's scan on weekly bounds gives the exact scan's answer bit for bit", "[finance]") {
  int exact_points = -1;
  SECTION("one sign change (capex, then halving profits): a positive IRR") {
    const auto s = hourly_stream(2e8, [](double t) { return 8000.0 * std::pow(0.5, std::floor(t / 4.0)); });
    const double exact = fin::irr_per_year_exact_scan(s);
    CHECK(exact > 0.0);
    CHECK(fin::npv_usd(s, exact) == Approx(0.0).margin(1e-6 * 2e8));
    CHECK(fin::irr_per_year(s, &exact_points) == exact);
    CHECK(exact_points <= 2);  // the exact scan evaluates about 20 grid points here
  }
  SECTION("one sign change that never pays back at 0: a negative IRR after the whole scan") {
    const auto s = hourly_stream(5e8, [](double) { return 4000.0; });
    const double exact = fin::irr_per_year_exact_scan(s);
    CHECK(exact < 0.0);
    CHECK(fin::irr_per_year(s, &exact_points) == exact);
    CHECK(exact_points <= 4);  // of about 100 grid points
  }
  SECTION("several sign changes (capex, profits, then decommissioning losses): the lowest root") {
    // −100 M at 0, +230 M spread over years 0.5–1.5, −132 M over years 1.5–2.5: the hourly
    // version of (−100, +230, −132), with roots near 10 % and 20 %: NPV(0) < 0, NPV(15 %) > 0,
    // NPV(100 %) < 0.
    const auto s = hourly_stream(1e8, [](double t) {
      return t <= 0.5 ? 0.0 : (t <= 1.5 ? 230e6 / 8766.0 : (t <= 2.5 ? -132e6 / 8766.0 : 0.0));
    });
    CHECK(fin::npv_usd(s, 0.0) < 0.0);
    CHECK(fin::npv_usd(s, 0.15) > 0.0);
    CHECK(fin::npv_usd(s, 1.0) < 0.0);
    const double exact = fin::irr_per_year_exact_scan(s);
    CHECK(exact > 0.0);
    CHECK(exact < 0.15);
    CHECK(fin::irr_per_year(s, &exact_points) == exact);
    CHECK(exact_points <= 4);  // of about 12 grid points; the roots are near 0.1 and 0.2
  }
  SECTION("a root on a grid point: the bounds cannot settle its sign, the exact sum does") {
    auto s = hourly_stream(0.0, [](double) { return 5000.0; });
    s[0].usd = -(fin::npv_usd(s, 0.3) - s[0].usd);  // NPV(30 %) = 0 up to rounding
    const double exact = fin::irr_per_year_exact_scan(s);
    CHECK(exact == Approx(0.3).epsilon(1e-12));
    CHECK(fin::irr_per_year(s, &exact_points) == exact);
    CHECK(exact_points >= 1);
  }
  SECTION("no root at all") {
    const auto s = hourly_stream(5e8, [](double) { return -100.0; });
    CHECK(std::isnan(fin::irr_per_year_exact_scan(s)));
    CHECK(std::isnan(fin::irr_per_year(s, &exact_points)));
    CHECK(exact_points == 0);
  }
  SECTION("a non-finite flow: no bounds, the exact scan's NaN") {
    auto s = hourly_stream(5e8, [](double) { return 8000.0; });
    s[100].usd = std::numeric_limits<double>::quiet_NaN();
    CHECK(std::isnan(fin::irr_per_year_exact_scan(s)));
    CHECK(std::isnan(fin::irr_per_year(s)));
  }
}

TEST_CASE("payback is the first time the cumulative stays non-negative", "[finance]") {
  const std::vector<fin::DatedCash> s{{0.5, -100}, {1.0, 60}, {1.5, 50}, {2.0, -20}, {2.5, 30}};
  // cumulative: −100, −40, 10, −10, 20: it recovers at 1.5, falls back, and stays from 2.5.
  CHECK(fin::payback_years(s) == 2.5);
  CHECK(std::isnan(fin::payback_years({{1.0, -1.0}})));
  // Drawdown from the initial 50: balances 50 → −50, 10, 60, 40, 70: deepest 100.
  CHECK(fin::max_drawdown_usd(s, 50.0) == Approx(100.0));
}

TEST_CASE("a loan's amortisation table", "[finance][loan]") {
  // 1,000,000 at 12 %/year, monthly, 2 years: A = P i / (1 − (1+i)^−n), i = 1 %, n = 24.
  fin::LoanSpec loan{"l", 1e6, 0.12, 2.0, 12, 100};
  const double i = 0.01, a = 1e6 * i / (1 - std::pow(1 + i, -24));
  CHECK(fin::loan_payment_usd(loan) == Approx(a).epsilon(1e-12));
  const auto table = fin::amortisation_table(loan);
  REQUIRE(table.size() == 24);
  CHECK(table[0].interest_usd == Approx(10000.0));
  CHECK(table[0].principal_usd == Approx(a - 10000.0));
  CHECK(table[1].interest_usd == Approx(i * (1e6 - (a - 10000.0))));
  CHECK(table[0].t_s == 100 + kSecondsPerYear / 12);
  double principal = 0, paid = 0;
  for (const auto& p : table) {
    principal += p.principal_usd;
    paid += p.interest_usd + p.principal_usd;
  }
  CHECK(principal == Approx(1e6).epsilon(1e-12));
  CHECK(paid == Approx(24 * a).epsilon(1e-12));
  CHECK(table.back().balance_usd == 0.0);
  // Without interest: equal repayments.
  fin::LoanSpec flat{"f", 1200, 0.0, 1.0, 12, 0};
  CHECK(fin::amortisation_table(flat)[5].principal_usd == Approx(100.0));
}

TEST_CASE("straight-line depreciation", "[finance]") {
  const hybridsim::sim::SimTime life = 4 * kSecondsPerYear;
  CHECK(fin::straight_line_rate_usd_per_s(4e6, 10, life, 9) == 0.0);
  CHECK(fin::straight_line_rate_usd_per_s(4e6, 10, life, 10) == Approx(4e6 / life));
  CHECK(fin::straight_line_rate_usd_per_s(4e6, 10, life, 10 + life) == 0.0);
  CHECK(fin::straight_line_accumulated_usd(4e6, 0, life, life / 4) == Approx(1e6));
  CHECK(fin::straight_line_accumulated_usd(4e6, 0, life, 2 * life) == Approx(4e6));
}
