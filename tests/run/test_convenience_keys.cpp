// Keys that save the user a computation: world.bitcoin.start_at (the chain from checkpoints)
// and power_mw (machines from their nameplate). The resolved scenario holds the values used.
#include <catch2/catch.hpp>

#include <string>

#include "models/catalogue.hpp"
#include "sim/config/count_or_power.hpp"
#include "sim/config/document.hpp"
#include "sim/run/scenario.hpp"
#include "tests/run/scenario_text.hpp"

using hybridsim::sim::config::count_from_power_mw;
using hybridsim::sim::config::Document;
using hybridsim::sim::config::ScenarioError;
using hybridsim::test::kMiniScenario;
using hybridsim::test::mini_with;
namespace hs = hybridsim::sim;

namespace {

hs::Scenario load(const std::string& text) {
  Document doc = Document::load_string(text, "s.yaml");
  return hs::load_scenario(doc, hybridsim::models::plugins());
}

std::string error_of(const std::string& text) {
  try {
    (void)load(text);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

YAML::Node resolved(const hs::Scenario& s) { return YAML::Load(s.resolved_yaml); }

const std::string kChain = "    start_height: 823785\n    start_difficulty: 72006146478567\n";

}  // namespace

TEST_CASE("start_at at a checkpoint gives its values, no warning", "[scenario][start_at]") {
  // The scenario starts the day after the halving block.
  std::string text = mini_with(kChain, "    start_at: 2024-04-20T00:09:27Z\n");
  text.replace(text.find("2024-01-01T00:00:00Z"), 20, "2024-04-21T00:00:00Z");
  const auto s = load(text);
  CHECK(s.warnings.empty());
  const YAML::Node chain = resolved(s)["world"]["bitcoin"];
  CHECK_FALSE(chain["start_at"].IsDefined());
  CHECK(chain["start_height"].as<long long>() == 840000);
  CHECK(chain["start_difficulty"].as<double>() == Approx(86388558925171.02).epsilon(1e-15));
  CHECK(chain["start_time"].as<std::string>() == "2024-04-20T00:09:27Z");
}

TEST_CASE("start_at between checkpoints is estimated, with a warning at the key", "[scenario][start_at]") {
  const auto s = load(mini_with(kChain, "    start_at: 2024-01-01\n"));
  REQUIRE(s.warnings.size() == 1);
  CHECK(s.warnings[0].starts_with("s.yaml:8:15: warning: world.bitcoin.start_at: estimated start_height 823814, "
                                  "start_difficulty 72006146478567.1, start_time 2023-12-31 23:50:58 UTC"));
  const YAML::Node chain = resolved(s)["world"]["bitcoin"];
  CHECK(chain["start_height"].as<long long>() == 823814);
  CHECK(chain["window_start_time"].as<std::string>() == "2023-12-23T06:04:24Z");
  // The resolved scenario reloads to the same chain, with no estimate left to warn about.
  const auto again = load(s.resolved_yaml);
  CHECK(again.warnings.empty());
  CHECK(again.resolved_yaml == s.resolved_yaml);
}

TEST_CASE("start_at: refused with explicit values, after the start, or outside the checkpoints", "[scenario][start_at]") {
  CHECK(error_of(mini_with("    start_difficulty: 72006146478567\n", "    start_at: 2024-01-01\n")) ==
        "s.yaml:9:15: world.bitcoin.start_at: give either start_at (the chain at a date, from checkpoints) or "
        "start_height and the other start keys, not both");
  CHECK(error_of(mini_with(kChain, "    start_at: 2024-01-02\n")) ==
        "s.yaml:8:15: world.bitcoin.start_at: is after the scenario start; the chain is taken at or before the start "
        "(usually the start itself)");
  CHECK(error_of(mini_with(kChain, "    start_at: 2010-01-01\n")).starts_with(
      "s.yaml:8:15: world.bitcoin.start_at: 2010-01-01 00:00:00 UTC is outside the checkpoints: they cover "
      "2019-02-24 16:33:58 to "));
  CHECK(error_of(mini_with("    start_height: 823785\n", "")) ==
        "s.yaml:8:5: world.bitcoin: missing required key 'start_height'; give start_height and start_difficulty, "
        "or start_at: DATE to take them from the real chain");
}

TEST_CASE("Counts from megawatts, by hand", "[scenario][power_mw]") {
  CHECK(count_from_power_mw(7.0, 3500.0) == 2000);      // 7e6 / 3500, exact only with the tolerance
  CHECK(count_from_power_mw(12.0, 700.0) == 17142);     // 17142.857… H100 SXM
  CHECK(count_from_power_mw(10.0, 1275.0) == 7843);     // 7843.1… DGX H100 per GPU with its host
  CHECK(count_from_power_mw(0.0034, 3500.0) == 0);
}

TEST_CASE("An ASIC cohort by power_mw: count derived and written in its place", "[scenario][power_mw]") {
  const auto s = load(mini_with("count: 2000,", "power_mw: 7,"));
  const YAML::Node cohort = resolved(s)["facility"]["asic_cohorts"][0];
  CHECK(cohort["count"].as<long long>() == 2000);
  CHECK_FALSE(cohort["power_mw"].IsDefined());
  // The resolved scenario reloads as it is (count alone).
  CHECK(resolved(load(s.resolved_yaml))["facility"]["asic_cohorts"][0]["count"].as<long long>() == 2000);
}

TEST_CASE("A GPU cluster by power_mw uses the GPU's power_w (its default for known types)", "[scenario][power_mw]") {
  const std::string gpus =
      "  pool: {model: fpps}\n"
      "  gpu_clusters:\n"
      "    - {name: cloud, gpu: H100 SXM, power_mw: 1.5, hall: mining}\n"
      "    - {name: dgx, gpu: H100 SXM, power_w: 1275, power_mw: 1, hall: mining}\n";
  const auto s = load(mini_with("  pool: {model: fpps}\n", gpus));
  const YAML::Node clusters = resolved(s)["facility"]["gpu_clusters"];
  CHECK(clusters[0]["count"].as<long long>() == 2142);  // floor(1.5e6 / 700) = floor(2142.857…)
  CHECK(clusters[1]["count"].as<long long>() == 784);   // floor(1e6 / 1275) = floor(784.31…)
  CHECK_FALSE(clusters[0]["power_mw"].IsDefined());
}

TEST_CASE("power_mw: exactly one of count and power_mw, at least one machine", "[scenario][power_mw]") {
  CHECK(error_of(mini_with("count: 2000,", "count: 2000, power_mw: 7,")) ==
        "s.yaml:19:43: facility.asic_cohorts[0].power_mw: give either count or power_mw, not both");
  CHECK(error_of(mini_with("count: 2000,", "")) ==
        "s.yaml:19:7: facility.asic_cohorts[0].count: missing; give count (machines) or power_mw (their nameplate MW)");
  CHECK(error_of(mini_with("count: 2000,", "power_mw: 0.003,")) ==
        "s.yaml:19:30: facility.asic_cohorts[0].power_mw: 0.003 MW holds no machine; give at least 0.0035 MW");
  CHECK(error_of(mini_with("count: 2000,", "power_mw: 0,")) ==
        "s.yaml:19:30: facility.asic_cohorts[0].power_mw: 0 is out of range; expected number > 0 (MW)");
  CHECK(error_of(mini_with("count: 2000,", "power_mw: .nan,")).find("power_mw: expected number > 0 (MW)") !=
        std::string::npos);
}
