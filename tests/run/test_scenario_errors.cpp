// Every kind of bad input gives `file:line:col: message` naming the key and what is accepted.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "models/catalogue.hpp"
#include "sim/config/document.hpp"
#include "sim/run/scenario.hpp"
#include "tests/run/scenario_text.hpp"

using hybridsim::sim::config::Document;
using hybridsim::models::catalogue;
using hybridsim::sim::config::join;
using hybridsim::sim::config::ScenarioError;
using hybridsim::test::kMiniScenario;
using hybridsim::test::mini_with;

namespace {

// The message of the error that loading `text` (with `sets` applied) raises, or "" if none.
std::string error_of(const std::string& text, const std::vector<std::string>& sets = {}) {
  try {
    Document doc = Document::load_string(text, "bad.yaml");
    for (const auto& s : sets) doc.set(s);
    (void)hybridsim::sim::load_scenario(doc, hybridsim::models::plugins());
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("the mini scenario is valid", "[scenario]") { CHECK(error_of(kMiniScenario).empty()); }

TEST_CASE("unknown top-level key", "[scenario][errors]") {
  CHECK(error_of(mini_with("seed: 7", "seeds: 7")) ==
        "bad.yaml:4:1: unknown key 'seeds' at the top level (did you mean 'seed'?); accepted keys: world, facility, finance, name, "
        "description, start, horizon_years, seed, record_every");
}

TEST_CASE("duplicate key", "[scenario][errors]") {
  CHECK(error_of(mini_with("seed: 7\n", "seed: 7\nseed: 8\n")) ==
        "bad.yaml:5:1: duplicate key 'seed' (first given at line 4); give each key once");
}

TEST_CASE("wrong type", "[scenario][errors]") {
  CHECK(error_of(mini_with("horizon_years: 0.1", "horizon_years: ten")) ==
        "bad.yaml:3:16: horizon_years: expected number > 0 <= 200 (year), got 'ten'");
}

TEST_CASE("missing required key", "[scenario][errors]") {
  CHECK(error_of(mini_with("start: 2024-01-01T00:00:00Z\n", "")) ==
        "bad.yaml:1:1: missing required key 'start' at the top level (UTC date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ): the epoch: "
        "simulated time 0, UTC)");
}

TEST_CASE("out of range", "[scenario][errors]") {
  CHECK(error_of(mini_with("pue: 1.05", "pue: 0.5")) ==
        "bad.yaml:17:27: facility.halls[0].pue: 0.5 is out of range; expected number in [1, 3]");
}

TEST_CASE("unknown model name lists the valid ones", "[scenario][errors]") {
  CHECK(error_of(mini_with("model: gbm", "model: gbn")) ==
        "bad.yaml:10:22: world.btc_price.model: unknown model 'gbn' (did you mean 'gbm'?); valid models: " +
            join(catalogue().bitcoin.btc_price.names()));
  CHECK(join(catalogue().bitcoin.btc_price.names()).find("gbm") != std::string::npos);
}

TEST_CASE("missing model key", "[scenario][errors]") {
  CHECK(error_of(mini_with("{model: growth, ", "{")) ==
        "bad.yaml:11:12: world.network: missing key 'model'; valid models: " +
            join(catalogue().bitcoin.network.names()));
}

TEST_CASE("unknown model parameter", "[scenario][errors]") {
  CHECK(error_of(mini_with("vol_per_year: 0.5", "volatility: 0.5")) ==
        "bad.yaml:10:47: unknown key 'volatility' in 'world.btc_price'; accepted keys: model, initial_usd, "
        "drift_per_year, vol_per_year");
}

TEST_CASE("malformed date", "[scenario][errors]") {
  CHECK(error_of(mini_with("2024-01-01T00:00:00Z", "2024-02-30")) ==
        "bad.yaml:2:8: start: expected UTC date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ), got '2024-02-30'");
}

TEST_CASE("malformed duration", "[scenario][errors]") {
  CHECK(error_of(mini_with("record_every: 1d", "record_every: 1x")) ==
        "bad.yaml:5:15: record_every: '1x' is not a recording interval; accepted: a positive duration in s, m, h, d "
        "or w (90s, 15m, 1h, 1d, 2w; a bare number is seconds) or whole calendar months or years (1 month, 3 "
        "months, 1 year, 2 years)");
  CHECK(error_of(mini_with("record_every: 1d", "record_every: 1 week")).find("'1 week' is not a recording interval") !=
        std::string::npos);
  CHECK(error_of(mini_with("record_every: 1d", "record_every: 0 months")).find("accepted:") != std::string::npos);
}

TEST_CASE("unknown hall", "[scenario][errors]") {
  CHECK(error_of(mini_with("hall: mining}", "hall: hpc}")) ==
        "bad.yaml:19:73: facility.asic_cohorts[0].hall: unknown hall 'hpc'; halls: mining");
}

TEST_CASE("negative count", "[scenario][errors]") {
  CHECK(error_of(mini_with("count: 2000", "count: -5")) ==
        "bad.yaml:19:27: facility.asic_cohorts[0].count: -5 is out of range; expected integer in [0, 1e+08] (machines)");
}

TEST_CASE("YAML syntax error", "[scenario][errors]") {
  CHECK(error_of(mini_with("  pool: {model: fpps}", "  pool: {model: fpps")) ==
        "bad.yaml:21:1: YAML syntax error: end of map flow not found");
}

TEST_CASE("missing section", "[scenario][errors]") {
  CHECK(error_of(mini_with("  power_price: {model: fixed, price_usd_per_mwh: 50}\n", "")) ==
        "bad.yaml:7:3: world: missing required key 'power_price' (valid models: fixed, time_of_use, ou_spot, csv, ppa)");
}

TEST_CASE("record interval longer than the horizon", "[scenario][errors]") {
  CHECK(error_of(mini_with("record_every: 1d", "record_every: 52w")) ==
        "bad.yaml:5:15: record_every: is longer than the horizon");
}

TEST_CASE("hall defined twice", "[scenario][errors]") {
  CHECK(error_of(mini_with("    - {name: mining, pue: 1.05}\n",
                           "    - {name: mining, pue: 1.05}\n    - {name: mining, pue: 1.2}\n")) ==
        "bad.yaml:18:14: facility.halls[1].name: hall 'mining' is defined twice");
}

TEST_CASE("closed choice", "[scenario][errors]") {
  CHECK(error_of(mini_with("    start_difficulty: 72006146478567\n",
                           "    start_difficulty: 72006146478567\n    blocks: random\n")) ==
        "bad.yaml:10:13: world.bitcoin.blocks: 'random' is not accepted; expected one of: poisson, deterministic");
}

TEST_CASE("a list where a map is expected", "[scenario][errors]") {
  CHECK(error_of(mini_with("  pool: {model: fpps}", "  pool: [fpps]")) ==
        "bad.yaml:20:9: facility.pool: expected a map with 'model: NAME' (one of: fpps, solo), got a list");
}

TEST_CASE("override: with a value of the wrong type", "[scenario][errors]") {
  CHECK(error_of(kMiniScenario, {"world.btc_price.vol_per_year=high"}) ==
        "--set world.btc_price.vol_per_year=high: world.btc_price.vol_per_year: expected number >= 0 "
        "(1/sqrt(year)), got 'high'");
}

TEST_CASE("override: past the end of a list", "[scenario][errors]") {
  CHECK(error_of(kMiniScenario, {"facility.asic_cohorts[3].count=5"}) ==
        "--set facility.asic_cohorts[3].count=5: 'facility.asic_cohorts' is a list of 1 items; expected an index "
        "0..0, got [3]");
}

TEST_CASE("override: a whole map replaced by a value is checked like one in the file", "[scenario][errors]") {
  CHECK(error_of(kMiniScenario, {"world.btc_price=5"}) ==
        "--set world.btc_price=5: world.btc_price: expected a map with 'model: NAME' (one of: " +
            join(catalogue().bitcoin.btc_price.names()) + "), got '5'");
}

TEST_CASE("override: an unknown key is reported as the option's", "[scenario][errors]") {
  CHECK(error_of(kMiniScenario, {"world.btc_price.volatility=0.3"}) ==
        "--set world.btc_price.volatility=0.3: unknown key 'volatility' in 'world.btc_price'; accepted keys: model, "
        "initial_usd, drift_per_year, vol_per_year");
  CHECK(error_of(kMiniScenario, {"world.btc_prices.model=gbm"}) ==
        "--set world.btc_prices.model=gbm: unknown key 'btc_prices' in 'world' (did you mean 'btc_price'?); accepted keys: power_price, bitcoin, "
        "btc_price, network, fees");
}

TEST_CASE("infinite numbers are rejected", "[scenario][errors]") {
  CHECK(error_of(mini_with("vol_per_year: 0.5", "vol_per_year: .inf")) ==
        "bad.yaml:10:61: world.btc_price.vol_per_year: expected number >= 0 (1/sqrt(year)), got '.inf'");
}

TEST_CASE("GPU halls that do not fit under the cap", "[scenario][errors]") {
  const std::string gpus = "    - {name: mining, pue: 1.05}\n    - {name: hpc, pue: 1.3}\n";
  const std::string cluster = "  pool: {model: fpps}\n  gpu_clusters: [{gpu: H100 SXM, count: 20000, hall: hpc}]\n";
  std::string text = mini_with("    - {name: mining, pue: 1.05}\n", gpus);
  text.replace(text.find("  pool: {model: fpps}\n"), 22, cluster);
  CHECK(error_of(text) ==
        "bad.yaml:15:17: facility.power_cap_mw: the GPU clusters may draw 18.200 MW (PUE included), more than the "
        "cap; raise the cap, shrink gpu_clusters, or choose a dispatch policy that shares power (e.g. marginal_value)");
}

TEST_CASE("jobs that no cluster can hold in whole nodes", "[scenario][errors]") {
  const std::string gpus = "    - {name: mining, pue: 1.05}\n    - {name: hpc, pue: 1.3}\n";
  const std::string ai =
      "  pool: {model: fpps}\n"
      "  gpu_clusters: [{gpu: H100 SXM, count: 12, gpus_per_node: 8, hall: hpc}]\n"
      "  jobs: {model: poisson, rate_per_day: 10, gpus: {choices: [10]}, hours: {fixed: 2}}\n";
  std::string text = mini_with("    - {name: mining, pue: 1.05}\n", gpus);
  text.replace(text.find("  pool: {model: fpps}\n"), 22, ai);
  CHECK(error_of(text) ==
        "bad.yaml:23:9: facility.jobs: a job asks for 10 GPUs, which no owned cluster can hold in whole nodes "
        "(largest: 12 GPUs)");
}

TEST_CASE("override: an empty list has nothing to set", "[scenario][errors]") {
  CHECK(error_of(mini_with("  pool: {model: fpps}\n", "  pool: {model: fpps}\n  contracts: []\n"),
                 {"facility.contracts[0].name=x"}) ==
        "--set facility.contracts[0].name=x: 'facility.contracts' is an empty list: it has no items");
}

TEST_CASE("override: overrides values and adds missing keys", "[scenario]") {
  Document doc = Document::load_string(kMiniScenario, "ok.yaml");
  doc.set("facility.asic_cohorts[0].count=10");
  doc.set("world.btc_price.drift_per_year=0.3");
  const auto s = hybridsim::sim::load_scenario(doc, hybridsim::models::plugins());
  REQUIRE(!s.sections.empty());
  const auto* btc = dynamic_cast<const hybridsim::models::bitcoin::BitcoinSectionSpec*>(s.sections[0].get());
  REQUIRE(btc != nullptr);
  CHECK(btc->mining->cohorts[0].count == 10);
  CHECK(btc->world.btc_price.params.number("drift_per_year") == 0.3);
  CHECK(s.resolved_yaml.find("drift_per_year: 0.3") != std::string::npos);
}

TEST_CASE("the seed option overrides the file's seed", "[scenario]") {
  Document doc = Document::load_string(kMiniScenario, "ok.yaml");
  const auto s = hybridsim::sim::load_scenario(doc, hybridsim::models::plugins(), std::uint64_t{99});
  CHECK(s.seed == 99);
  CHECK(s.resolved_yaml.find("seed: 99") != std::string::npos);
}

TEST_CASE("defaults are written into the resolved scenario", "[scenario]") {
  Document doc = Document::load_string(kMiniScenario, "ok.yaml");
  const auto s = hybridsim::sim::load_scenario(doc, hybridsim::models::plugins());
  CHECK(s.resolved_yaml.find("fee: 0.02") != std::string::npos);
  CHECK(s.resolved_yaml.find("price_step: 1h") != std::string::npos);
}

TEST_CASE("facility: cap steps, hall limits and dispatch policies are checked", "[scenario][errors]") {
  const std::string steps_out_of_order =
      mini_with("  power_cap_mw: 10\n",
                "  power_cap_mw: [{from: 2024-01-01, mw: 10}, {from: 2025-01-01, mw: 20}, {from: 2024-06-01, mw: 5}]\n");
  CHECK(error_of(steps_out_of_order) ==
        "bad.yaml:15:81: facility.power_cap_mw[2].from: steps must be in strictly increasing time order");
  CHECK(error_of(mini_with("  power_cap_mw: 10\n", "  power_cap_mw: [{from: 2024-01-01, mw: -5}]\n")) ==
        "bad.yaml:15:41: facility.power_cap_mw[0].mw: -5 is out of range; expected number > 0 (MW)");
  CHECK(error_of(mini_with("  power_cap_mw: 10\n", "  power_cap_mw: [{from: 2024-02-01, mw: 10}]\n")) ==
        "bad.yaml:15:25: facility.power_cap_mw[0].from: the first step must start at or before the scenario's "
        "start, so the cap is known from time 0");
  CHECK(error_of(mini_with("  power_cap_mw: 10\n", "  power_cap_mw: []\n")) ==
        "bad.yaml:15:17: facility.power_cap_mw: empty list; give a number of MW or steps like "
        "[{from: 2025-01-01, mw: 100}]");
  CHECK(error_of(mini_with("{name: mining, pue: 1.05}", "{name: mining, pue: 0.9}")) ==
        "bad.yaml:17:27: facility.halls[0].pue: 0.9 is out of range; expected number in [1, 3]");
  CHECK(error_of(mini_with("{name: mining, pue: 1.05}", "{name: mining, pue: 1.05, limit_mw: 12}")) ==
        "bad.yaml:17:43: facility.halls[0].limit_mw: is above the interconnect cap (10.000 MW at most); a hall "
        "limit must be at most the cap");
  CHECK(error_of(mini_with("  pool: {model: fpps}\n", "  pool: {model: fpps}\n  dispatch: {model: cheapest}\n")) ==
        "bad.yaml:21:21: facility.dispatch.model: unknown model 'cheapest'; valid models: static, ai_first, "
        "mining_first, marginal_value, price_threshold");
  CHECK(error_of(mini_with("  pool: {model: fpps}\n", "  pool: {model: fpps}\n  dispatch: {model: price_threshold}\n")) ==
        "bad.yaml:21:13: facility.dispatch.threshold_usd_per_mwh: give exactly one of threshold_usd_per_mwh (a "
        "price) and hashprice_multiple (k, following hashprice)");
}

TEST_CASE("finance: bad input", "[scenario][errors][finance]") {
  const std::string fin = "  pool: {model: fpps}\n";
  CHECK(error_of(mini_with(fin, fin + "finance:\n  loans:\n    - {principal_usd: 1.0e6, rate_per_year: -0.05, term_years: 5}\n")) ==
        "bad.yaml:23:45: finance.loans[0].rate_per_year: -0.05 is out of range; expected number >= 0 (1/year)");
  // A loan longer than the horizon is fine.
  CHECK(error_of(mini_with(fin, fin + "finance:\n  loans:\n    - {principal_usd: 1.0e6, rate_per_year: 0.05, term_years: 30}\n"))
            .empty());
  CHECK(error_of(mini_with(fin, fin + "finance: {discount_rate_per_year: -1}\n")) ==
        "bad.yaml:21:35: finance.discount_rate_per_year: -1 is out of range; expected number > -1 (1/year)");
  CHECK(error_of(mini_with("hall: mining}", "hall: mining, arrives: 2024-02-01, retires: 2024-01-15}")) ==
        "bad.yaml:19:111: facility.asic_cohorts[0].retires: is not after the cohort arrives (2024-02-01 00:00:00); a cohort "
        "retires after it arrives");
  const std::string halls = mini_with("    - {name: mining, pue: 1.05}\n",
                                      "    - {name: mining, pue: 1.05, limit_mw: 10}\n    - {name: hpc, pue: 1.3}\n");
  CHECK(error_of(halls + "  conversions:\n    - {name: c1, from: mining, to: hpc, mw: 12, capex_usd_per_mw: 1.0e6, "
                         "lead_time_days: 10, at: 2024-01-11}\n") ==
        "bad.yaml:23:45: facility.conversions[0].mw: 12.000 MW is more than hall 'mining' has (10.000 MW); at most the "
        "hall's limit_mw (its largest step) less earlier conversions from it");
  CHECK(error_of(halls + "  conversions:\n    - {name: c1, from: mining, to: hpc, mw: 4, capex_usd_per_mw: 1.0e6, "
                         "lead_time_days: 10, trigger: {signal: hashprize, below: 0.03, for_days: 30}}\n") ==
        "bad.yaml:23:111: facility.conversions[0].trigger.signal: unknown signal 'hashprize'; signals: "
        "power_price_usd_per_mwh, btc_price_usd, hashprice_usd_per_th_day, net_hashprice_usd_per_th_day");
}

TEST_CASE("a second YAML document is refused, not silently dropped", "[scenario][errors]") {
  CHECK(error_of(std::string(kMiniScenario) + "---\nname: other\n") ==
        "bad.yaml:21:1: a second YAML document (after '---' or '...'); a scenario file holds one document");
}

TEST_CASE("an alias bomb is checked without expanding its aliases", "[scenario][errors]") {
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 12; ++i) {
    const std::string name = std::to_string(i), previous = std::to_string(i - 1);
    bomb.append("a").append(name).append(": &a").append(name).append(" [");
    for (int j = 0; j < 9; ++j) bomb.append(j ? ", *a" : "*a").append(previous);
    bomb += "]\n";
  }
  // 9^12 nodes if walked naively; the duplicate-key walk sees each node once.
  CHECK(error_of(std::string(kMiniScenario) + bomb).starts_with("bad.yaml:21:1: unknown key 'a0' at the top level"));
}

TEST_CASE("nesting deeper than 64 levels is refused before any recursive walk", "[scenario][errors]") {
  CHECK(error_of("name: " + std::string(100000, '[') + std::string(100000, ']')) ==
        "bad.yaml:1:71: nesting more than 64 levels deep; a scenario nests maps and lists at most 64 levels");
  std::string block = "name:\n";
  for (int i = 0; i < 3000; ++i) block += "- ";
  CHECK(error_of(block + "x\n") ==
        "bad.yaml:2:127: nesting more than 64 levels deep; a scenario nests maps and lists at most 64 levels");
}
