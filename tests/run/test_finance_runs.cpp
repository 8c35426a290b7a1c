// Money in whole runs, against hand-computed figures: an ASIC price moves cash by exactly
// count × price, a conversion's dark period is its lead time with the capex on its date, a
// loan's draw and payments follow its amortisation table, and cash is initial cash plus the
// accounts.
#include <catch2/catch.hpp>

#include <variant>

#include "models/catalogue.hpp"
#include "sim/config/document.hpp"
#include "sim/finance/loan.hpp"
#include "sim/run/scenario.hpp"
#include "sim/run/simulation.hpp"
#include "tests/run/scenario_text.hpp"

namespace hs = hybridsim::sim;
using hybridsim::test::mini_with;

namespace {

struct Run {
  hs::RunSummary summary;
  hs::output::RunDataset data;
  double initial_cash_usd = 0.0;
};

Run run(const std::string& text) {
  auto doc = hs::config::Document::load_string(text, "finance.yaml");
  hs::Simulation sim(hs::load_scenario(doc, hybridsim::models::plugins()));
  Run r;
  r.data = sim.run();
  r.summary = sim.summary();
  r.initial_cash_usd = sim.scenario().initial_cash_usd;
  return r;
}

const std::vector<double>& series(const Run& r, const std::string& name) {
  for (const auto& c : r.data.series)
    if (c.info.name == name) return std::get<std::vector<double>>(c.data);
  FAIL("no series " << name);
  throw;
}

}  // namespace

TEST_CASE("an ASIC price changes cash by exactly count × price", "[finance][run]") {
  const Run free = run(hybridsim::test::kMiniScenario);
  const Run paid = run(mini_with("hall: mining}", "hall: mining, price_usd: 2800}"));
  CHECK(free.summary.cash_usd - paid.summary.cash_usd == Approx(2000 * 2800.0).epsilon(1e-12));
  CHECK(series(paid, "asic_capex_usd")[0] == 2000 * 2800.0);
  // Depreciation is not cash, and straight-line: 4 years by default, 0.1 year run.
  double depreciation = 0;
  for (double d : series(paid, "asic_depreciation_usd")) depreciation += d;
  CHECK(depreciation == Approx(2000 * 2800.0 * 0.1 / 4.0).epsilon(1e-9));
}

TEST_CASE("cash is the initial cash plus the sum of the accounts", "[finance][run]") {
  const Run r = run(mini_with("pool: {model: fpps}", "pool: {model: fpps}\nfinance: {initial_cash_usd: 5.0e6}"));
  double cash = r.initial_cash_usd;
  for (const auto& c : r.data.series) {
    if (c.info.account.empty()) continue;
    for (double x : std::get<std::vector<double>>(c.data)) cash += c.info.cash_sign * x;
  }
  CHECK(r.initial_cash_usd == 5.0e6);
  CHECK(series(r, "cash_usd").back() == Approx(cash).epsilon(1e-12));
  CHECK(r.summary.cash_usd == Approx(cash).epsilon(1e-12));
}

TEST_CASE("a conversion is dark for its lead time, with the capex on its date", "[finance][run][conversion]") {
  const std::string text = mini_with("    - {name: mining, pue: 1.05}\n",
                                     "    - {name: mining, pue: 1.05, limit_mw: 10}\n    - {name: hpc, pue: 1.3}\n") +
                           "  conversions:\n"
                           "    - {name: c1, from: mining, to: hpc, mw: 4, capex_usd_per_mw: 1.0e6, lead_time_days: 10,"
                           " at: 2024-01-11}\n";
  const Run r = run(text);
  const auto& capex = series(r, "conversion_capex_usd");
  const auto& dark = series(r, "conversion_dark_mw");
  // Daily stamps: index k is the end of day k + 1.
  for (std::size_t k = 0; k < capex.size(); ++k) {
    INFO("day " << k + 1);
    CHECK(capex[k] == (k + 1 == 10 ? 4e6 : 0.0));
    CHECK(dark[k] == ((k + 1 >= 10 && k + 1 < 20) ? 4.0 : 0.0));
  }
  // The least efficient machines left the 4 MW: the hall's ASICs draw at most 6 MW after.
  const auto& hall_limit_after = series(r, "asic_power_mw");
  CHECK(hall_limit_after[15] <= 6.0 + 1e-9);
  CHECK(r.summary.capital_spent_usd == 4e6);
}

TEST_CASE("a loan in a run follows its amortisation table", "[finance][run][loan]") {
  const Run r = run(mini_with("pool: {model: fpps}", "pool: {model: fpps}\nfinance:\n  loans:\n"
                                                      "    - {principal_usd: 1.0e6, rate_per_year: 0.12, term_years: 1}"));
  hs::finance::LoanSpec loan{"loan", 1e6, 0.12, 1.0, 12, 0};
  const auto table = hs::finance::amortisation_table(loan);
  double interest = 0, repaid = 0, draw = 0;
  for (double x : series(r, "loan_interest_usd")) interest += x;
  for (double x : series(r, "loan_repayment_usd")) repaid += x;
  for (double x : series(r, "loan_draw_usd")) draw += x;
  CHECK(draw == 1e6);
  // 0.1 year = 36.5 days: one monthly payment falls inside the run.
  CHECK(interest == Approx(table[0].interest_usd));
  CHECK(repaid == Approx(table[0].principal_usd));
  CHECK(series(r, "loan_balance_usd").back() == Approx(table[0].balance_usd));
}
