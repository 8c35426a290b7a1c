// Whole runs of the dispatch layer against hand-computed figures: an AI bust frees megawatts
// that mining takes at once; a negative price pays the facility to consume; a static split
// starves mining of the GPUs' unused reservation; the ASIC break-even is net of the pool fee.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "models/catalogue.hpp"
#include "sim/config/document.hpp"
#include "sim/run/scenario.hpp"
#include "sim/run/simulation.hpp"

namespace hs = hybridsim::sim;

namespace {

std::string num(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

// The world of every case: height 842,687 (the next block opens a retarget window, so the
// difficulty holds for ~2016 blocks, two weeks — longer than any run here), D = 8e13, BTC at
// 60,000 USD, fees 10% of the 3.125 BTC subsidy, FPPS with a 2% fee. Hashprice:
//   h = 86400 · 3.4375 · 60000 / (8e13 · 2^32) · 1e12 = 0.0518634… USD per TH/s per day.
constexpr double kHashprice = 86400.0 * 3.4375 * 60000.0 / (8.0e13 * 4294967296.0) * 1e12;
constexpr double kPoolFee = 0.02;

// Two halls: mining (PUE 1.0) and hpc (PUE 1.2). Mining: 5000 machines of 200 TH/s at 4000 W:
// one machine is 0.004 grid MW, the fleet 20 MW, worth h·0.98·200/0.004/24 ≈ 106 USD/MWh.
// The tenant: 10,000 H100 SXM (700 W at load, 100 W idle) at load 0.5 in the hpc hall:
//   demand    = 10000 · (0.5·700 + 0.5·100) W · 1.2 = 4.8 MW of grid power,
//   nameplate = 10000 · 700 W · 1.2                 = 8.4 MW.
std::string facility_scenario(const std::string& dispatch, double price, double cap_mw, const std::string& ai_extra = "",
                              const std::string& extra_cohorts = "") {
  return "name: t\nstart: 2024-06-01\nhorizon_years: 0.01\nrecord_every: 1h\n"
         "world:\n"
         "  bitcoin: {start_height: 842687, start_difficulty: 8.0e13}\n"
         "  btc_price: {model: constant, initial_usd: 60000}\n"
         "  network: {model: growth, growth_per_year: 0, initial_ths: 5.0e8}\n"
         "  fees: {model: share_of_subsidy, share: 0.1}\n"
         "  power_price: {model: fixed, price_usd_per_mwh: " + num(price) + "}\n"
         "facility:\n"
         "  power_cap_mw: " + num(cap_mw) + "\n"
         "  halls: [{name: mining, pue: 1.0}, {name: hpc, pue: 1.2}]\n"
         "  asic_cohorts:\n"
         "    - {model: M4, count: 5000, hashrate_ths: 200, power_w: 4000, hall: mining}\n" + extra_cohorts +
         "  pool: {model: fpps, fee: " + num(kPoolFee) + "}\n"
         "  mining: {ramp: 1h}\n"
         "  dispatch: {model: " + dispatch + "}\n"
         "  gpu_clusters:\n"
         "    - {name: tenant, gpu: H100 SXM, count: 10000, hall: hpc, owner: tenant, contract: lease, load: 0.5}\n"
         "  contracts:\n"
         "    - {name: lease, model: colocation, committed_mw: 7, usd_per_kw_month: 100}\n" + ai_extra;
}

struct Step {
  hs::SimTime from, to;
  double asic_mw, gpu_mw, grid_mw, cap_mw;
};

struct Run {
  hs::RunSummary summary;
  std::vector<Step> steps;
  hs::SimTime horizon_s;
};

Run run(const std::string& text) {
  auto doc = hs::config::Document::load_string(text, "test.yaml");
  const hs::Scenario s = hs::load_scenario(doc, hybridsim::models::plugins());
  hs::Simulation sim(s);
  Run r;
  r.horizon_s = s.horizon_s;
  sim.set_step_observer([&](hs::SimTime from, hs::SimTime to) {
    const auto& a = sim.arbiter();
    r.steps.push_back(Step{from, to, a.power_mw(hs::LoadKind::kAsic), a.power_mw(hs::LoadKind::kGpu), a.grid_power_mw(),
                           a.cap_mw()});
  });
  sim.run();
  r.summary = sim.summary();
  return r;
}

}  // namespace

TEST_CASE("after an AI bust under marginal_value, mining takes the freed MW within one decision step",
          "[dispatch][run]") {
  // Cap 15 MW, power 20 USD/MWh. Before the shock the tenant (not curtailable, first) draws
  // its 4.8 MW and mining gets 15 − 4.8 = 10.2 MW = 2550 machines of 0.004 MW. On 2024-06-03
  // (t = 172,800 s) the lease defaults; the tenant draws 0 and mining may take all 15 MW:
  // 3750 machines (its 20 MW demand is capped), a rise of 4.8 MW = 1200 machines.
  const Run r = run(facility_scenario("marginal_value", 20, 15, "  ai_shock: {at: 2024-06-03, default_probability: 1}\n"));
  const hs::SimTime shock_s = 2 * 86400;
  const hs::SimTime decision_step_s = 3600;
  REQUIRE(r.horizon_s > shock_s + decision_step_s);
  bool saw_before = false;
  hs::SimTime first_full_s = -1;
  for (const auto& s : r.steps) {
    INFO("step from " << s.from);
    CHECK(s.grid_mw <= 15.0 * (1 + 1e-12));
    if (s.from < shock_s) {
      CHECK(s.gpu_mw == Approx(4.8).epsilon(1e-12));
      CHECK(s.asic_mw == Approx(2550 * 0.004).epsilon(1e-12));
      saw_before = true;
    } else {
      CHECK(s.gpu_mw == 0.0);
      if (first_full_s < 0 && s.asic_mw == Approx(3750 * 0.004).epsilon(1e-12)) first_full_s = s.from;
      if (s.from >= shock_s + decision_step_s) CHECK(s.asic_mw == Approx(3750 * 0.004).epsilon(1e-12));
    }
  }
  CHECK(saw_before);
  REQUIRE(first_full_s >= shock_s);
  CHECK(first_full_s < shock_s + decision_step_s);  // within one decision step of the shock
  // The rise: 15 − 10.2 = 4.8 MW, the tenant's draw, in whole machines (1200).
  CHECK((3750 - 2550) * 0.004 == Approx(4.8).epsilon(1e-12));
}

TEST_CASE("a negative fixed price pays the facility to consume", "[dispatch][run][negative]") {
  // A third cohort worth almost nothing: 1000 machines of 0.001 TH/s at 1000 W (1 MW) are
  // worth h·0.98·0.001/0.001/24 ≈ 0.0021 USD/MWh. At −10 USD/MWh every load runs (value ≥ p):
  //   P = 20 (M4) + 1 (junk) + 4.8 (tenant) = 25.8 MW, well under the 100 MW cap,
  //   energy = 25.8 MW · T / 3600 h, cost = −10 · energy < 0 (the grid pays).
  const std::string junk = "    - {model: Junk, count: 1000, hashrate_ths: 0.001, power_w: 1000, hall: mining}\n";
  const Run neg = run(facility_scenario("marginal_value", -10, 100, "", junk));
  const double hours = static_cast<double>(neg.horizon_s) / 3600.0;
  for (const auto& s : neg.steps) CHECK(s.grid_mw == Approx(25.8).epsilon(1e-12));
  CHECK(neg.summary.energy_mwh == Approx(25.8 * hours).epsilon(1e-12));
  CHECK(neg.summary.energy_cost_usd < 0.0);
  CHECK(neg.summary.energy_cost_usd == Approx(-10.0 * neg.summary.energy_mwh).epsilon(1e-12));
  CHECK(neg.summary.energy_cost_usd == Approx(-10.0 * 25.8 * hours).epsilon(1e-12));
  // At +1 USD/MWh the junk cohort (0.0021 < 1) is off from the first decision (the first
  // ramp move is free): 24.8 MW, and the bill is positive.
  const Run pos = run(facility_scenario("marginal_value", 1, 100, "", junk));
  CHECK(pos.summary.energy_mwh == Approx(24.8 * hours).epsilon(1e-12));
  CHECK(pos.summary.energy_cost_usd == Approx(24.8 * hours).epsilon(1e-12));
}

TEST_CASE("static reserves the GPU nameplate and starves mining, marginal_value gives mining the unused part",
          "[dispatch][run][static]") {
  // Cap 15 MW, 20 USD/MWh. static: the tenant reserves its nameplate 8.4 MW though it draws
  // 4.8; mining gets 15 − 8.4 = 6.6 MW = 1650 machines; the facility draws 11.4 of its 15 MW.
  // marginal_value: the tenant's limit is its demand 4.8; mining gets 10.2 MW = 2550 machines.
  const Run st = run(facility_scenario("static", 20, 15));
  const Run mv = run(facility_scenario("marginal_value", 20, 15));
  for (const auto& s : st.steps) {
    CHECK(s.gpu_mw == Approx(4.8).epsilon(1e-12));
    CHECK(s.asic_mw == Approx(1650 * 0.004).epsilon(1e-12));
    CHECK(s.asic_mw == Approx(15.0 - 8.4).epsilon(1e-12));
    CHECK(s.grid_mw == Approx(11.4).epsilon(1e-12));
  }
  for (const auto& s : mv.steps) {
    CHECK(s.gpu_mw == Approx(4.8).epsilon(1e-12));
    CHECK(s.asic_mw == Approx(2550 * 0.004).epsilon(1e-12));
    CHECK(s.grid_mw == Approx(15.0).epsilon(1e-12));
  }
  // Mining's energy differs by the unused reservation, 8.4 − 4.8 = 3.6 MW, over the run.
  const double hours = static_cast<double>(st.horizon_s) / 3600.0;
  CHECK(mv.summary.energy_mwh - st.summary.energy_mwh == Approx(3.6 * hours).epsilon(1e-9));
}

TEST_CASE("the ASIC break-even is hashprice net of the pool fee, under every policy", "[dispatch][run][breakeven]") {
  // A lone cohort of 1000 S21 (200 TH/s, 3500 W) in the mining hall (PUE 1): 0.0035 MW each.
  // Gross value per MWh: vg = h · 200 / 0.0035 / 24 ≈ 123.5 USD/MWh; net of the 2% fee
  // vn = 0.98 · vg. At p = 0.99 · vg the power costs 99% of gross hashprice — below gross but
  // above net — and the cohort must be off; at p = 0.97 · vg (below net) it must run.
  const double vg = kHashprice * 200.0 / 0.0035 / 24.0;
  const auto scenario = [](const std::string& dispatch, double price) {
    return "name: t\nstart: 2024-06-01\nhorizon_years: 0.005\nrecord_every: 1h\n"
           "world:\n"
           "  bitcoin: {start_height: 842687, start_difficulty: 8.0e13}\n"
           "  btc_price: {model: constant, initial_usd: 60000}\n"
           "  network: {model: growth, growth_per_year: 0, initial_ths: 5.0e8}\n"
           "  fees: {model: share_of_subsidy, share: 0.1}\n"
           "  power_price: {model: fixed, price_usd_per_mwh: " + num(price) + "}\n"
           "facility:\n"
           "  power_cap_mw: 100\n"
           "  halls: [{name: mining, pue: 1.0}]\n"
           "  asic_cohorts:\n"
           "    - {model: S21, count: 1000, hashrate_ths: 200, power_w: 3500, hall: mining}\n"
           "  pool: {model: fpps, fee: " + num(kPoolFee) + "}\n"
           "  mining: {ramp: 1h}\n"
           "  dispatch: " + dispatch + "\n";
  };
  // price_threshold follows the break-even with k = 1 (a fixed threshold ignores hashprice).
  for (const std::string dispatch : {"{model: static}", "{model: ai_first}", "{model: mining_first}",
                                     "{model: marginal_value}", "{model: price_threshold, hashprice_multiple: 1}"}) {
    INFO(dispatch);
    const Run off = run(scenario(dispatch, 0.99 * vg));
    for (const auto& s : off.steps) CHECK(s.asic_mw == 0.0);
    CHECK(off.summary.energy_mwh == 0.0);
    CHECK(off.summary.value("mining_revenue_btc") == 0.0);
    const Run on = run(scenario(dispatch, 0.97 * vg));
    for (const auto& s : on.steps) CHECK(s.asic_mw == Approx(1000 * 0.0035).epsilon(1e-12));
    CHECK(on.summary.value("mining_revenue_btc") > 0.0);
  }
}
