// The money rules in whole runs, each against hand-computed figures: a triggered conversion,
// the three BTC treasury rules, the resale value of retired ASICs, spot GPU sales after a
// default, and the contracted terminal value of a lease and a loan. (A defaulted tenant's MW
// going to mining at the next decision under marginal_value: test_dispatch_runs.cpp.)
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <variant>

#include "models/catalogue.hpp"
#include "sim/config/document.hpp"
#include "sim/finance/loan.hpp"
#include "sim/finance/terminal_value.hpp"
#include "sim/run/scenario.hpp"
#include "sim/run/simulation.hpp"
#include "tests/run/scenario_text.hpp"

namespace fs = std::filesystem;
namespace hs = hybridsim::sim;
using hybridsim::test::mini_with;

namespace {

struct Run {
  hs::RunSummary summary;
  hs::output::RunDataset data;
  hs::SimTime horizon_s = 0;
};

Run run(const std::string& text, const std::string& origin = "money.yaml") {
  auto doc = hs::config::Document::load_string(text, origin);
  hs::Simulation sim(hs::load_scenario(doc, hybridsim::models::plugins()));
  Run r;
  r.horizon_s = sim.scenario().horizon_s;
  r.data = sim.run();
  r.summary = sim.summary();
  return r;
}

const std::vector<double>& series(const Run& r, const std::string& name) {
  for (const auto& c : r.data.series)
    if (c.info.name == name) return std::get<std::vector<double>>(c.data);
  FAIL("no series " << name);
  throw;
}

double total(const Run& r, const std::string& name) {
  double t = 0;
  for (double x : series(r, name)) t += x;
  return t;
}

std::string num(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

// A mining world with a constant hashprice for two weeks: height 842,687 (a retarget window
// opens, D holds), D = 8e13, BTC at 60,000 USD, fees 10 % of the subsidy, FPPS 2 %:
//   h = 86400 · 3.4375 · 60000 / (8e13 · 2^32) · 1e12 USD per TH/s per day, net 0.98 h.
constexpr double kHashprice = 86400.0 * 3.4375 * 60000.0 / (8.0e13 * 4294967296.0) * 1e12;
constexpr double kBtcUsd = 60000.0;
// Four days exactly.
const std::string kFourDays = num(4 * 86400.0 / static_cast<double>(hs::kSecondsPerYear));

std::string mining_site(const std::string& cohorts, const std::string& facility_extra = "",
                        const std::string& finance = "") {
  return "name: m\nstart: 2024-06-01\nhorizon_years: " + kFourDays + "\nrecord_every: 1d\n"
         "world:\n"
         "  bitcoin: {start_height: 842687, start_difficulty: 8.0e13}\n"
         "  btc_price: {model: constant, initial_usd: 60000}\n"
         "  network: {model: growth, growth_per_year: 0, initial_ths: 5.0e8}\n"
         "  fees: {model: share_of_subsidy, share: 0.1}\n"
         "  power_price: {model: fixed, price_usd_per_mwh: 20}\n"
         "facility:\n"
         "  power_cap_mw: 100\n"
         "  halls: [{name: mining, pue: 1.0}]\n"
         "  asic_cohorts:\n" + cohorts +
         "  pool: {model: fpps, fee: 0.02}\n" + facility_extra + finance;
}

const std::string kFleet = "    - {model: M4, count: 5000, hashrate_ths: 200, power_w: 4000, hall: mining}\n";

}  // namespace

TEST_CASE("a triggered conversion starts N days after the signal first holds, dark for its lead time",
          "[finance][run][conversion][trigger]") {
  // The power price is fixed at 50 USD/MWh. Daily checks from day 1: `below: 60` holds at every
  // check, so it has held for 5 days at the check of day 6, when the conversion starts: capex
  // 4 MW × 1 M USD on day 6, dark from day 6 to day 6 + 10. `below: 40` never holds.
  const std::string halls = "    - {name: mining, pue: 1.05, limit_mw: 10}\n    - {name: hpc, pue: 1.3}\n";
  const auto with = [&](double below) {
    return mini_with("    - {name: mining, pue: 1.05}\n", halls) +
           "  conversions:\n"
           "    - {name: c1, from: mining, to: hpc, mw: 4, capex_usd_per_mw: 1.0e6, lead_time_days: 10,\n"
           "       trigger: {signal: power_price_usd_per_mwh, below: " + num(below) + ", for_days: 5}}\n";
  };
  const Run fired = run(with(60));
  const auto& capex = series(fired, "conversion_capex_usd");
  const auto& dark = series(fired, "conversion_dark_mw");
  const auto& limit = series(fired, "hall_limit_mw");  // time × (mining, hpc)
  for (std::size_t k = 0; k < capex.size(); ++k) {
    const std::size_t day = k + 1;
    INFO("day " << day);
    CHECK(capex[k] == (day == 6 ? 4e6 : 0.0));
    CHECK(dark[k] == ((day >= 6 && day < 16) ? 4.0 : 0.0));
    CHECK(limit[2 * k] == (day < 6 ? 10.0 : 6.0));
    CHECK(limit[2 * k + 1] == (day < 16 ? 0.0 : 4.0));
  }
  const Run never = run(with(40));
  CHECK(total(never, "conversion_capex_usd") == 0.0);
  CHECK(total(never, "conversion_dark_mw") == 0.0);
}

TEST_CASE("BTC treasury: sell_all, keep_share and sell_to_cover by hand", "[finance][run][treasury]") {
  // The same world and fleet under three rules: mining revenue R (the FPPS payouts, USD at
  // 60,000 USD/BTC) is identical, so the rules differ only by what they keep and sell.
  const Run all = run(mining_site(kFleet, "  btc_treasury: {rule: sell_all}\n"));
  const Run keep = run(mining_site(kFleet, "  btc_treasury: {rule: keep_share, keep_share: 0.4}\n"));
  const Run cover = run(mining_site(kFleet, "  btc_treasury: {rule: sell_to_cover, keep_share: 1, cash_floor_usd: 0}\n",
                                    "finance: {fixed_cost_usd_per_year: 1.0e6}\n"));
  const double revenue = total(all, "mining_revenue_usd");
  REQUIRE(revenue > 0);
  CHECK(total(keep, "mining_revenue_usd") == Approx(revenue).epsilon(1e-12));

  // sell_all: nothing held, nothing kept.
  CHECK(series(all, "btc_held").back() == 0.0);
  CHECK(total(all, "btc_kept_usd") == 0.0);
  // keep_share 0.4: 0.4 R kept, i.e. 0.4 R / 60,000 BTC held, and cash 0.4 R lower.
  CHECK(total(keep, "btc_kept_usd") == Approx(0.4 * revenue).epsilon(1e-12));
  CHECK(series(keep, "btc_held").back() == Approx(0.4 * revenue / kBtcUsd).epsilon(1e-12));
  CHECK(series(keep, "btc_held_value_usd").back() == Approx(0.4 * revenue).epsilon(1e-12));
  CHECK(all.summary.cash_usd - keep.summary.cash_usd == Approx(0.4 * revenue).epsilon(1e-12));
  // sell_to_cover with everything kept: costs (energy + fixed) drain cash between the daily
  // checks, and each check sells just enough BTC to bring it back to the 0 USD floor. So at
  // every daily stamp cash is 0, BTC sold = costs so far, and BTC held = (R − costs) / price.
  const double costs = total(cover, "energy_cost_usd") + total(cover, "fixed_cost_usd");
  for (double c : series(cover, "cash_usd")) CHECK(c == Approx(0.0).margin(1e-6 * costs));
  CHECK(total(cover, "btc_sold_usd") == Approx(costs).epsilon(1e-9));
  CHECK(series(cover, "btc_held").back() == Approx((revenue - costs) / kBtcUsd).epsilon(1e-9));
}

TEST_CASE("retired ASICs resell for D days of their margin, capped at their price, scrap when unprofitable",
          "[finance][run][resale]") {
  // Retiring on day 2 at 20 USD/MWh, net hashprice 0.98 h; margin per machine per day
  //   m = TH/s · 0.98 h − W · PUE · 24 / 10^6 · 20,  resale = min(price, max(0, m) · 180).
  const std::string cohorts =
      "    - {model: A, count: 5000, hashrate_ths: 200, power_w: 4000, hall: mining, price_usd: 3000,"
      " retires: 2024-06-03}\n"
      "    - {model: B, count: 100, hashrate_ths: 200, power_w: 4000, hall: mining, price_usd: 500,"
      " retires: 2024-06-03}\n"
      "    - {model: junk, count: 1000, hashrate_ths: 0.001, power_w: 1000, hall: mining, retires: 2024-06-03}\n";
  const Run r = run(mining_site(cohorts));
  const double m_a = 200 * 0.98 * kHashprice - 4000 * 24 / 1e6 * 20;
  REQUIRE(m_a * 180 < 3000);
  REQUIRE(m_a * 180 > 500);
  const auto& resale = series(r, "asic_resale_usd");
  for (std::size_t k = 0; k < resale.size(); ++k) {
    INFO("day " << k + 1);
    // A at its margin, B capped at its 500 USD price, junk (m < 0) for nothing.
    CHECK(resale[k] == (k + 1 == 2 ? Approx(5000 * m_a * 180 + 100 * 500.0).epsilon(1e-12) : Approx(0.0)));
  }
  CHECK(r.summary.capital_spent_usd == 5000 * 3000.0 + 100 * 500.0);
}

TEST_CASE("after a default the owned GPUs sell the customer's hours at the shocked spot price",
          "[finance][run][ai_shock][spot]") {
  // 8 owned H100s; a GPU-hour rental reserving all 8 at 2 USD/GPU-h bills the trace's jobs
  // (8 · 2 · 48 h = 768 USD until the default); on 2024-06-03 (day 2) the AI shock defaults it
  // and halves the spot price (2 USD). Jobs (8 GPUs): day 0.5 for 10 h under the contract,
  // day 3 for 6 h after the default: spot sales 8 · 6 · 2 · 0.5 = 48 USD. demand_factor 0
  // thins every later arrival away: no spot sales at all.
  const fs::path dir = fs::temp_directory_path() / "hybridsim_spot_after_default";
  fs::create_directories(dir);
  std::ofstream(dir / "jobs.csv") << "submit,gpus,hours,contract\n"
                                     "2024-06-01T12:00:00Z,8,10,rent\n"
                                     "2024-06-04T00:00:00Z,8,6,rent\n";
  const auto site = [](const std::string& demand_factor) {
    return "name: spot\nstart: 2024-06-01\nhorizon_years: " + kFourDays + "\nrecord_every: 1h\n"
           "world:\n"
           "  power_price: {model: fixed, price_usd_per_mwh: 50}\n"
           "facility:\n"
           "  power_cap_mw: 10\n"
           "  halls: [{name: hpc, pue: 1.0}]\n"
           "  dispatch: {model: marginal_value}\n"
           "  gpu_clusters: [{name: own, gpu: H100 SXM, count: 8, hall: hpc}]\n"
           "  contracts: [{name: rent, model: gpu_hour_rental, reserved_gpus: 8, reserved_usd_per_gpu_hour: 2}]\n"
           "  gpu_price: {model: constant, usd_per_gpu_hour: 2}\n"
           "  jobs: {model: trace, file: jobs.csv}\n"
           "  ai_shock: {at: 2024-06-03, default_probability: 1, spot_price_factor: 0.5, demand_factor: " +
           demand_factor + "}\n";
  };
  const Run r = run(site("1"), (dir / "spot.yaml").string());
  CHECK(total(r, "gpu_hour_rental_usd") == Approx(8 * 2.0 * 48).epsilon(1e-12));
  CHECK(total(r, "gpu_spot_sales_usd") == Approx(8 * 6 * 2.0 * 0.5).epsilon(1e-12));
  const Run thinned = run(site("0"), (dir / "spot.yaml").string());
  CHECK(total(thinned, "gpu_hour_rental_usd") == Approx(768.0).epsilon(1e-12));
  CHECK(total(thinned, "gpu_spot_sales_usd") == 0.0);
}

TEST_CASE("a contracted terminal value adds a lease's net cash to its term's end and a loan's payments",
          "[finance][run][terminal]") {
  // An AI-only site: a tenant's 1000 H100s (0.7 MW IT, 0.875 MW grid at PUE 1.25) under a
  // 0.3-year lease on 0.7 MW at 121 USD/kW-month, power passed through; fixed costs 100,000
  // USD/year; a 1 M USD loan at 12 % over a year; the run lasts 0.1 year. After the horizon:
  //   c = (121 · 1000 · 0.7 / 2,592,000 s − 100,000 / year) · year   [USD/year]
  // (power passed through pays exactly the tenant's energy; the tenant is the whole
  // facility's power, so all fixed costs are its share), monthly to the lease's end, and the
  // loan's 11 remaining payments.
  const std::string text =
      "name: tv\nstart: 2024-06-01\nhorizon_years: 0.1\nrecord_every: 1d\n"
      "world:\n"
      "  power_price: {model: fixed, price_usd_per_mwh: 40}\n"
      "facility:\n"
      "  power_cap_mw: 10\n"
      "  halls: [{name: hpc, pue: 1.25}]\n"
      "  gpu_clusters: [{name: t, gpu: H100 SXM, count: 1000, hall: hpc, owner: tenant, contract: lease}]\n"
      "  contracts: [{name: lease, model: colocation, committed_mw: 0.7, usd_per_kw_month: 121, power: pass_through,"
      " term_years: 0.3}]\n"
      "finance:\n"
      "  fixed_cost_usd_per_year: 100000\n"
      "  discount_rate_per_year: 0.1\n"
      "  terminal_value: contracted\n"
      "  loans: [{principal_usd: 1.0e6, rate_per_year: 0.12, term_years: 1}]\n";
  const Run r = run(text);
  const double year_s = static_cast<double>(hs::kSecondsPerYear);
  const double c = (121 * 1000 * 0.7 / 2592000.0 - 100000 / year_s) * year_s;
  const double horizon = static_cast<double>(r.horizon_s) / year_s;
  const double end = static_cast<double>(std::llround(0.3 * year_s)) / year_s;
  double want = hs::finance::npv_usd(hs::finance::contracted_lumps({"lease", c, end, 0.0}, horizon), 0.1);
  int later = 0;
  for (const auto& pay : hs::finance::amortisation_table({"loan", 1e6, 0.12, 1.0, 12, 0})) {
    if (pay.t_s <= r.horizon_s) continue;
    ++later;
    want -= (pay.interest_usd + pay.principal_usd) * std::pow(1.1, -static_cast<double>(pay.t_s) / year_s);
  }
  CHECK(later == 11);
  CHECK(r.summary.terminal_value_usd == Approx(want).epsilon(1e-9));
  CHECK(r.summary.npv_usd == Approx(r.summary.npv_run_usd + want).epsilon(1e-12));
  // Without the option the NPV is the simulated years' alone.
  auto none = text;
  none.replace(none.find("contracted"), 10, "none");
  const Run plain = run(none);
  CHECK(plain.summary.terminal_value_usd == 0.0);
  CHECK(plain.summary.npv_usd == Approx(r.summary.npv_run_usd).epsilon(1e-12));
}
