// Demand response and coincident peaks in whole runs, against hand-computed amounts.
#include <catch2/catch.hpp>

#include <string>

#include "models/catalogue.hpp"
#include "sim/config/document.hpp"
#include "sim/run/scenario.hpp"
#include "sim/run/simulation.hpp"

namespace hs = hybridsim::sim;

namespace {

// 1000 S21s (200 TH/s, 3500 W) in a hall of PUE 1.0: 3.5 MW, worth about 120 USD/MWh at this
// hashprice; power at 40 USD/MWh; machines stop and start within a second (ramp 1s).
std::string site(const std::string& facility_extra, const std::string& start = "2024-06-01") {
  return "name: dr\nstart: " + start + "\nhorizon_years: 0.05\nrecord_every: 1h\n"
         "world:\n"
         "  bitcoin: {start_height: 842687, start_difficulty: 8.0e13, blocks: deterministic}\n"
         "  btc_price: {model: constant, initial_usd: 60000}\n"
         "  network: {model: growth, growth_per_year: 0, initial_ths: 5.0e8}\n"
         "  fees: {model: share_of_subsidy, share: 0.1}\n"
         "  power_price: {model: fixed, price_usd_per_mwh: 40}\n"
         "facility:\n"
         "  power_cap_mw: 10\n"
         "  halls: [{name: h, pue: 1.0}]\n"
         "  asic_cohorts:\n"
         "    - {model: S21, count: 1000, hashrate_ths: 200, power_w: 3500, hall: h}\n"
         "  pool: {model: fpps, fee: 0.02}\n"
         "  mining: {ramp: 1s}\n"
         "  dispatch: {model: marginal_value}\n" +
         facility_extra;
}

struct Run {
  hs::RunSummary summary;
};

Run run(const std::string& text) {
  auto doc = hs::config::Document::load_string(text, "dr.yaml");
  hs::Simulation sim(hs::load_scenario(doc, hybridsim::models::plugins()));
  (void)sim.run();
  return {sim.summary()};
}

}  // namespace

TEST_CASE("a demand-response event pays more than mining earns: the fleet stops and is credited", "[dr]") {
  // Event from 2024-06-03T16:00Z for 4 h at 1,000 USD/MWh: the fleet's 3.5 MW are worth
  // ~120 USD/MWh, less than 40 + 1000, so it stops for the event. Baseline 3.5 MW (its draw
  // when the event starts) → 3.5 × 4 = 14 MWh curtailed, 14,000 USD of credits.
  const std::string program =
      "  demand_response:\n"
      "    programs:\n"
      "      - {name: ers, credit_usd_per_mwh: 1000, events: [{start: 2024-06-03T16:00:00Z, duration: 4h}]}\n";
  const Run with = run(site(program));
  const Run without = run(site(""));
  CHECK(with.summary.dr_curtailed_mwh == Approx(14.0).epsilon(1e-12));
  CHECK(with.summary.dr_credits_usd == Approx(14000.0).epsilon(1e-12));
  CHECK(with.summary.dr_credits_usd == Approx(1000.0 * with.summary.dr_curtailed_mwh).epsilon(1e-12));
  // Energy bought falls by the curtailed MWh exactly.
  CHECK(without.summary.energy_mwh - with.summary.energy_mwh == Approx(14.0).epsilon(1e-9));
  // The August 2023 pattern: credits plus the energy not bought beat the mining given up.
  const double mining_lost = without.summary.value("mining_revenue_usd") - with.summary.value("mining_revenue_usd");
  CHECK(mining_lost > 0);
  CHECK(with.summary.dr_credits_usd + 14.0 * 40 > mining_lost);
  CHECK(with.summary.cash_usd - without.summary.cash_usd ==
        Approx(with.summary.dr_credits_usd + 14.0 * 40 - mining_lost).epsilon(1e-9));
}

TEST_CASE("a credit below the fleet's value leaves it running and earns nothing", "[dr]") {
  // 50 USD/MWh credit: 40 + 50 = 90 < ~120, so the fleet keeps mining; no credit is due.
  const std::string program =
      "  demand_response:\n"
      "    programs:\n"
      "      - {name: cheap, credit_usd_per_mwh: 50, events: [{start: 2024-06-03T16:00:00Z, duration: 4h}]}\n";
  const Run r = run(site(program));
  CHECK(r.summary.dr_curtailed_mwh == 0.0);
  CHECK(r.summary.dr_credits_usd == 0.0);
}

TEST_CASE("avoiding the predicted coincident peaks cuts the 4CP charge by rate x MW", "[dr][4cp]") {
  // Four 15-minute peaks inside weekday 16:00–18:00 local (UTC−5) windows in June 2024. Rate
  // 60,000 USD per MW-year: a constant 3.5 MW draw at each peak costs 60,000/4 × 3.5 per
  // peak, 210,000 USD for the four. With the prediction the fleet is off in the windows
  // (avoid value 60,000 / (30 × 5/7 × 2 h) = 2,800 USD/MWh > its ~120), so it pays nothing.
  const std::string peaks =
      "  demand_response:\n"
      "    coincident_peaks:\n"
      "      rate_usd_per_mw_year: 60000\n"
      "      peaks: [2024-06-04T21:15:00Z, 2024-06-06T22:00:00Z, 2024-06-11T21:30:00Z, 2024-06-13T22:30:00Z]\n";
  const Run blind = run(site(peaks));
  CHECK(blind.summary.transmission_charge_usd == Approx(60000.0 / 4 * 3.5 * 4).epsilon(1e-9));
  const Run avoiding =
      run(site(peaks + "      predict: {months: [6], hours: [16, 17], utc_offset_hours: -5}\n"));
  CHECK(avoiding.summary.transmission_charge_usd == 0.0);
  CHECK(blind.summary.transmission_charge_usd - avoiding.summary.transmission_charge_usd ==
        Approx(60000.0 * 3.5).epsilon(1e-9));
  // The windows cost mining 2 h on each weekday whose window falls in the run: 0.05 years =
  // 18.26 days from Saturday June 1 ends on June 19 at 06:18 UTC, before that day's window
  // (21:00–23:00 UTC), so June 3–7, 10–14, 17 and 18: 12 weekdays.
  CHECK(blind.summary.energy_mwh - avoiding.summary.energy_mwh == Approx(3.5 * 2 * 12).epsilon(1e-9));
}

TEST_CASE("demand-response programs without a trigger, or peaks out of order, are rejected", "[dr][errors]") {
  auto error_of = [](const std::string& text) {
    try {
      auto doc = hs::config::Document::load_string(text, "bad.yaml");
      (void)hs::load_scenario(doc, hybridsim::models::plugins());
    } catch (const hs::config::ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(error_of(site("  demand_response:\n    programs: [{name: x, credit_usd_per_mwh: 10}]\n")) ==
        "bad.yaml:20:23: facility.demand_response.programs[0].name: program 'x' has no trigger; give `events: "
        "[{start, duration}, ...]` and/or `price_above_usd_per_mwh`");
  CHECK(error_of(site("  demand_response:\n    coincident_peaks: {rate_usd_per_mw_year: 1, "
                      "peaks: [2024-06-05T00:00:00Z, 2024-06-04T00:00:00Z]}\n"))
            .find("peak intervals must be in increasing time order") != std::string::npos);
}
