// Sweepable scenarios end to end: overrides through the loader, `extends:` of the shipped
// scenarios, seeds over the full 64 bits.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>

#include "models/catalogue.hpp"
#include "sim/config/document.hpp"
#include "sim/config/overrides.hpp"
#include "sim/run/scenario.hpp"
#include "tests/run/scenario_text.hpp"

namespace hs = hybridsim::sim;
using hs::config::Document;
using hs::config::ScenarioError;
using hybridsim::test::kMiniScenario;

namespace {

hs::Scenario load(Document& doc, std::optional<std::uint64_t> seed = std::nullopt) {
  return hs::load_scenario(doc, hybridsim::models::plugins(), seed);
}

std::string error_of(const std::vector<std::string>& sets, const std::vector<std::string>& unsets = {}) {
  try {
    Document doc = Document::load_string(kMiniScenario, "mini.yaml");
    for (const auto& u : unsets) doc.unset(u);
    for (const auto& s : sets) doc.set(s);
    (void)load(doc);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

// Equal trees, map keys in any order.
bool same(const YAML::Node& a, const YAML::Node& b) {
  if (a.Type() != b.Type()) return false;
  if (a.IsScalar()) return a.Scalar() == b.Scalar();
  if (a.size() != b.size()) return false;
  if (a.IsSequence()) {
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same(a[i], b[i])) return false;
    return true;
  }
  for (const auto& kv : a)
    if (!b[kv.first.Scalar()].IsDefined() || !same(kv.second, b[kv.first.Scalar()])) return false;
  return true;
}

}  // namespace

TEST_CASE("set: replaces a model's map whole, so models can be switched", "[scenario][overrides]") {
  // gbm's vol_per_year would be an unknown key of `constant` if the map were merged.
  CHECK(error_of({"world.btc_price={model: constant, initial_usd: 50000}"}).empty());
  CHECK(error_of({"world.btc_price.model=constant"}) ==
        "mini.yaml:10:47: unknown key 'vol_per_year' in 'world.btc_price'; accepted keys: model, initial_usd");
  CHECK(error_of({"world.btc_price.model=constant"}, {"world.btc_price.vol_per_year"}).empty());
  CHECK(error_of({"facility.halls[mining].pue=1.2", "facility.asic_cohorts[0].count=10"}).empty());
  CHECK(error_of({"facility.halls[mining].pue=0.2"}) ==
        "--set facility.halls[mining].pue=0.2: facility.halls[0].pue: 0.2 is out of range; expected number in [1, 3]");
}

TEST_CASE("errors inside a value written by --set point at the option", "[scenario][overrides][errors]") {
  CHECK(error_of({"world.btc_price={model: gbm, initial_usd: -1}"}) ==
        "--set world.btc_price={model: gbm, initial_usd: -1}: world.btc_price.initial_usd: -1 is out of range; "
        "expected number > 0 (USD)");
  CHECK(error_of({"facility.halls=[{name: mining, pue: 0.5}]"}) ==
        "--set facility.halls=[{name: mining, pue: 0.5}]: facility.halls[0].pue: 0.5 is out of range; expected "
        "number in [1, 3]");
  CHECK(error_of({}, {"facility.halls"}) ==
        "mini.yaml:15:3: facility.halls: expected a list of halls like {name: mining, pue: 1.05}");
}

TEST_CASE("ai_bust.yaml is hybrid.yaml plus its shock", "[scenario][extends]") {
  const std::string dir = std::string(HYBRIDSIM_SOURCE_DIR) + "/scenarios/";
  Document bust = Document::load_file(dir + "ai_bust.yaml");
  Document hybrid = Document::load_file(dir + "hybrid.yaml");
  CHECK(bust.root()["facility"]["ai_shock"].IsMap());
  // Without the shock and the names, the two resolve to the same scenario.
  bust.unset("facility.ai_shock");
  for (const char* key : {"name=x", "description=y"}) {
    bust.set(key);
    hybrid.set(key);
  }
  const std::string a = load(bust).resolved_yaml;
  const std::string b = load(hybrid).resolved_yaml;
  CHECK(same(YAML::Load(a), YAML::Load(b)));
  CHECK(!same(YAML::Load(a), YAML::Load(hybridsim::test::kMiniScenario)));
  CHECK(YAML::Load(a)["facility"]["gpu_clusters"][1]["contract"].Scalar() == "lease");
  CHECK(YAML::Load(a)["world"]["btc_price"]["vol_per_year"].Scalar() == "0.55");
}
