// Hall limits as steps over time: the arbiter holds each hall to the step in force, moved by
// conversions on top; bad steps are rejected like the cap's.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <variant>

#include "models/catalogue.hpp"
#include "sim/config/document.hpp"
#include "sim/config/errors.hpp"
#include "sim/run/scenario.hpp"
#include "sim/run/simulation.hpp"
#include "tests/run/scenario_text.hpp"

namespace hs = hybridsim::sim;
using hybridsim::test::mini_with;

namespace {

hs::output::RunDataset run(const std::string& text) {
  auto doc = hs::config::Document::load_string(text, "steps.yaml");
  hs::Simulation sim(hs::load_scenario(doc, hybridsim::models::plugins()));
  return sim.run();
}

const hs::output::Column& column(const hs::output::RunDataset& d, const std::string& name) {
  for (const auto& c : d.series)
    if (c.info.name == name) return c;
  FAIL("no series " << name);
  throw;
}

std::string error_of(const std::string& text) {
  try {
    auto doc = hs::config::Document::load_string(text, "bad.yaml");
    (void)hs::load_scenario(doc, hybridsim::models::plugins());
  } catch (const hs::config::ScenarioError& e) {
    return e.what();
  }
  return "";
}

const std::string kHall = "    - {name: mining, pue: 1.05}\n";

}  // namespace

TEST_CASE("a hall's limit steps hold its machines, and conversions move it on top", "[facility][run][hall_steps]") {
  // The mini site: 2000 S21 (3500 W, PUE 1.05: 3.675 kW each, 7.35 MW in all), cap 10 MW. The
  // mining hall's fit-out: 10 MW, 6 MW from day 5 (2024-01-06), 9 MW from day 25. On day 10
  // (2024-01-11) 2 MW are converted to hpc (lead 10 days). Limits, hand-computed:
  //   mining: 10 (days 0-5), 6 (5-10), 6 − 2 = 4 (10-25), 9 − 2 = 7 (25-);  hpc: 0 until day 20, then 2.
  const std::string text =
      mini_with(kHall,
                "    - {name: mining, pue: 1.05, limit_mw: [{from: 2024-01-01, mw: 10}, {from: 2024-01-06, mw: 6},"
                " {from: 2024-01-26, mw: 9}]}\n    - {name: hpc, pue: 1.3}\n") +
      "  conversions:\n"
      "    - {name: c1, from: mining, to: hpc, mw: 2, capex_usd_per_mw: 0, lead_time_days: 10, at: 2024-01-11}\n";
  const auto d = run(text);
  const auto& limit = std::get<std::vector<double>>(column(d, "hall_limit_mw").data);  // time × hall, row-major
  const auto& hall_mw = std::get<std::vector<double>>(column(d, "hall_power_mw").data);
  const auto& asic_mw = std::get<std::vector<double>>(column(d, "asic_power_mw").data);
  const std::size_t days = asic_mw.size();
  REQUIRE(limit.size() == 2 * days);
  for (std::size_t k = 0; k < days; ++k) {
    const double t_days = static_cast<double>(k + 1);  // stamp of sample k: the end of day k + 1
    INFO("day " << t_days);
    const double mining = t_days < 5 ? 10 : t_days < 10 ? 6 : t_days < 25 ? 4 : 7;
    const double hpc = t_days < 20 ? 0 : 2;
    CHECK(limit[2 * k] == mining);
    CHECK(limit[2 * k + 1] == hpc);
    CHECK(hall_mw[2 * k] <= mining * (1 + 1e-12));
  }
  // The hall is full under each step once the 1-day ramp has passed: whole machines of 3.675 kW
  // (the 2 MW converted took 545 machines: ⌈2 / 0.003675⌉; 1455 are left, 5.347 MW).
  const double unit = 3500 * 1.05 / 1e6;
  CHECK(asic_mw[7] == Approx(std::floor(6 / unit) * unit).margin(unit));
  CHECK(asic_mw[15] == Approx(std::floor(4 / unit) * unit).margin(unit));
  CHECK(asic_mw[30] == Approx(1455 * unit).margin(1e-9));
}

TEST_CASE("bad hall limit steps are rejected like the cap's", "[scenario][errors][hall_steps]") {
  const auto with = [&](const std::string& steps) {
    return mini_with(kHall, "    - {name: mining, pue: 1.05, limit_mw: " + steps + "}\n");
  };
  CHECK(error_of(with("[{from: 2024-01-01, mw: 8}, {from: 2024-03-01, mw: 9}, {from: 2024-02-01, mw: 5}]")) ==
        "bad.yaml:17:105: facility.halls[0].limit_mw[2].from: steps must be in strictly increasing time order");
  CHECK(error_of(with("[{from: 2024-02-01, mw: 8}]")) ==
        "bad.yaml:17:51: facility.halls[0].limit_mw[0].from: the first step must start at or before the scenario's "
        "start, so the limit is known from time 0");
  CHECK(error_of(with("[{from: 2024-01-01, mw: 12}]")) ==
        "bad.yaml:17:67: facility.halls[0].limit_mw[0].mw: is above the interconnect cap (10.000 MW at most); a hall "
        "limit must be at most the cap");
  CHECK(error_of(with("[{from: 2024-01-01, mw: -1}]")) ==
        "bad.yaml:17:67: facility.halls[0].limit_mw[0].mw: -1 is out of range; expected number >= 0 (MW)");
  CHECK(error_of(with("[]")) ==
        "bad.yaml:17:43: facility.halls[0].limit_mw: empty list; give a number of MW or steps like "
        "[{from: 2025-01-01, mw: 100}]");
  // A conversion may take at most the largest step.
  CHECK_THAT(error_of(mini_with(kHall, "    - {name: mining, pue: 1.05, limit_mw: [{from: 2024-01-01, mw: 4},"
                                       " {from: 2024-02-01, mw: 6}]}\n    - {name: hpc, pue: 1.3}\n") +
                      "  conversions:\n    - {name: c1, from: mining, to: hpc, mw: 7, capex_usd_per_mw: 0,"
                      " lead_time_days: 1, at: 2024-01-11}\n"),
             Catch::EndsWith("facility.conversions[0].mw: 7.000 MW is more than hall 'mining' has (6.000 MW); at most "
                             "the hall's limit_mw (its largest step) less earlier conversions from it"));
}
