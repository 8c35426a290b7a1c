// A whole run against hand-computed results: exact accrual, conservation of energy, the
// power cap, economic shut-off, deterministic blocks.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <variant>

#include "models/bitcoin/consensus.hpp"
#include "models/catalogue.hpp"
#include "sim/config/document.hpp"
#include "sim/run/scenario.hpp"
#include "sim/run/simulation.hpp"

namespace hs = hybridsim::sim;
namespace btc = hybridsim::models::bitcoin;

namespace {

// A facility of S21s (200 TH/s, 3500 W) and S19j Pros (100 TH/s, 3050 W) at height 842,688
// (the first block of a retarget window, in the 3.125 BTC era), constant price, no failures.
std::string scenario(const std::string& extra_world = "", const std::string& mining = "shutoff: false",
                     double power_price = 50, double cap_mw = 100, const std::string& horizon = "0.01") {
  return "name: t\nstart: 2024-06-01\nhorizon_years: " + horizon + "\nrecord_every: 1h\n"
         "world:\n"
         "  bitcoin: {start_height: 842687, start_difficulty: 8.0e13" + extra_world + "}\n"
         "  btc_price: {model: constant, initial_usd: 60000}\n"
         "  network: {model: growth, growth_per_year: 0, initial_ths: 5.0e8}\n"
         "  fees: {model: share_of_subsidy, share: 0.1}\n"
         "  power_price: {model: fixed, price_usd_per_mwh: " + std::to_string(power_price) + "}\n"
         "facility:\n"
         "  power_cap_mw: " + std::to_string(cap_mw) + "\n"
         "  halls: [{name: h, pue: 1.1}]\n"
         "  asic_cohorts:\n"
         "    - {model: S19j Pro, count: 1000, hashrate_ths: 100, power_w: 3050, hall: h}\n"
         "    - {model: S21, count: 2000, hashrate_ths: 200, power_w: 3500, hall: h}\n"
         "  pool: {model: fpps, fee: 0.02}\n"
         "  mining: {" + mining + "}\n";
}

struct Result {
  hs::RunSummary summary;
  hs::output::RunDataset data;
  hs::SimTime horizon_s;
};

Result run(const std::string& text) {
  auto doc = hs::config::Document::load_string(text, "test.yaml");
  const hs::Scenario s = hs::load_scenario(doc, hybridsim::models::plugins());
  hs::Simulation sim(s);
  Result r{{}, sim.run(), s.horizon_s};
  r.summary = sim.summary();
  return r;
}

const std::vector<double>& column(const hs::output::RunDataset& d, const std::string& name) {
  for (const auto& c : d.series)
    if (c.info.name == name) return std::get<std::vector<double>>(c.data);
  throw std::runtime_error("no column " + name);
}

// Machines running at the last stamp in the cohort labelled `cohort` of machines_running.
std::int64_t last_running(const hs::output::RunDataset& d, const std::string& cohort) {
  for (const auto& c : d.series) {
    if (c.info.name != "machines_running") continue;
    REQUIRE(c.second);
    REQUIRE(c.second->name == "cohort");
    const auto& labels = c.second->labels;
    const auto at = std::find(labels.begin(), labels.end(), cohort);
    REQUIRE(at != labels.end());
    const auto& v = std::get<std::vector<std::int64_t>>(c.data);
    return v[v.size() - labels.size() + static_cast<std::size_t>(at - labels.begin())];
  }
  throw std::runtime_error("no machines_running");
}

}  // namespace

TEST_CASE("FPPS revenue, energy and cash are exact integrals of constant rates", "[simulation]") {
  const Result r = run(scenario(", blocks: deterministic"));
  const double T = static_cast<double>(r.horizon_s);
  const double fleet_ths = 1000 * 100 + 2000 * 200;
  const double fleet_mw = (1000 * 3050 + 2000 * 3500) * 1.1 / 1e6;
  // FPPS: hashes per second over hashes per block, times the expected reward, less the fee.
  const double reward_btc = 3.125 * 1.1;
  const double btc = fleet_ths * 1e12 / (8.0e13 * 4294967296.0) * reward_btc * 0.98 * T;
  CHECK(r.summary.value("mining_revenue_btc") == Approx(btc).epsilon(1e-12));
  CHECK(r.summary.value("mining_revenue_usd") == Approx(btc * 60000).epsilon(1e-12));
  CHECK(r.summary.energy_mwh == Approx(fleet_mw * T / 3600).epsilon(1e-12));
  CHECK(r.summary.energy_cost_usd == Approx(fleet_mw * T / 3600 * 50).epsilon(1e-12));
  CHECK(r.summary.cash_usd == Approx(btc * 60000 - fleet_mw * T / 3600 * 50).epsilon(1e-12));
  // The recorded flows add up to the totals: nothing lost between samples.
  double energy = 0;
  for (double x : column(r.data, "energy_mwh")) energy += x;
  CHECK(energy == Approx(r.summary.energy_mwh).epsilon(1e-12));
}

TEST_CASE("deterministic blocks come every D*2^32/H seconds, without rounding drift", "[simulation]") {
  // Network 5e8 TH/s plus the fleet's 5e5 TH/s at D = 8e13: one block per I = D·2^32/H s
  // (≈ 686.5 s). Block times are whole seconds but the fraction is carried, so block k comes
  // at round(k·I); rounding each interval instead (687 s) would fall ~0.5 s behind per block.
  const Result r = run(scenario(", blocks: deterministic"));
  const double interval_s = 8.0e13 * 4294967296.0 / ((5.0e8 + 5.0e5) * 1e12);
  REQUIRE(std::abs(interval_s - std::round(interval_s)) > 0.2);  // the two rules differ
  const auto& heights = std::get<std::vector<std::int64_t>>(
      std::find_if(r.data.series.begin(), r.data.series.end(), [](const auto& c) { return c.info.name == "block_height"; })
          ->data);
  for (std::size_t i = 0; i < r.data.time_s.size(); ++i) {
    const double t = static_cast<double>(r.data.time_s[i]);
    std::int64_t expected = 0;
    while (std::llround(static_cast<double>(expected + 1) * interval_s) <= t) ++expected;
    INFO("sample at t = " << t);
    REQUIRE(heights[i] - 842687 == expected);
  }
}

TEST_CASE("the power cap runs the most efficient machines first", "[simulation]") {
  // 10 MW of grid power: S21s (17.5 J/TH) first — 2000 × 3.85 kW = 7.7 MW — then
  // floor(2.3 MW / 3.355 kW) = 685 S19j Pros.
  const Result r = run(scenario("", "shutoff: false", 50, 10));
  CHECK(last_running(r.data, "S21") == 2000);
  CHECK(last_running(r.data, "S19j Pro") == 685);
  const double mw = (685 * 3050 + 2000 * 3500) * 1.1 / 1e6;
  CHECK(r.summary.peak_grid_power_mw == Approx(mw));
  CHECK(r.summary.peak_grid_power_mw <= 10.0);
}

TEST_CASE("unprofitable cohorts ramp down, profitable ones keep running", "[simulation]") {
  // Hashprice = 86400 × 3.4375 BTC × 60000 / (8e13 × 2^32) × 1e12 ≈ 0.0518 USD/TH/day.
  // Power cost per TH-day at 70 USD/MWh: S19j Pro 30.5 W/TH × 24 × 1.1 × 70e-6 = 0.0564 (off);
  // S21 17.5 W/TH → 0.0323 (on).
  const double hashprice = btc::hashprice_usd_per_th_day(3.125 * 1.1, 60000, 8.0e13);
  REQUIRE(hashprice == Approx(0.0518).epsilon(0.01));
  const Result r = run(scenario("", "shutoff: true, ramp: 12h", 70, 100));
  CHECK(last_running(r.data, "S19j Pro") == 0);
  CHECK(last_running(r.data, "S21") == 2000);
}

TEST_CASE("a shut-off margin keeps a cohort running just below break-even", "[simulation]") {
  // At 66 USD/MWh the S19j Pro costs 30.5 × 24 × 1.1 × 66e-6 ≈ 0.0531 USD/TH/day, just above
  // hashprice ≈ 0.0518: without a margin it stops, with a 10% band it keeps running.
  const Result no_margin = run(scenario("", "shutoff: true, ramp: 1h", 66, 100));
  const Result margin = run(scenario("", "shutoff: true, ramp: 1h, shutoff_margin: 0.1", 66, 100));
  CHECK(last_running(no_margin.data, "S19j Pro") == 0);
  CHECK(last_running(margin.data, "S19j Pro") == 1000);
  CHECK(last_running(margin.data, "S21") == 2000);
}

TEST_CASE("two simulations in one process do not interfere", "[simulation]") {
  auto doc_a = hs::config::Document::load_string(scenario(), "a.yaml");
  auto doc_b = hs::config::Document::load_string(scenario(), "b.yaml");
  const hs::Scenario a = hs::load_scenario(doc_a, hybridsim::models::plugins());
  const hs::Scenario b = hs::load_scenario(doc_b, hybridsim::models::plugins());
  hs::Simulation sa(a), sb(b);
  const auto da = sa.run();
  const auto db = sb.run();
  CHECK(column(da, "btc_price_usd") == column(db, "btc_price_usd"));
  CHECK(sa.summary().value("final_height") == sb.summary().value("final_height"));
}
