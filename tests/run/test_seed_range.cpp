// Seeds are unsigned 64-bit integers: stored, printed and read back without a signed type.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>

#include "models/catalogue.hpp"
#include "sim/config/document.hpp"
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

std::string error_of(const std::vector<std::string>& sets) {
  try {
    Document doc = Document::load_string(kMiniScenario, "mini.yaml");
    for (const auto& s : sets) doc.set(s);
    (void)load(doc);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("seeds round-trip over the full 64 bits", "[scenario][seed]") {
  const std::uint64_t top = std::numeric_limits<std::uint64_t>::max();
  Document doc = Document::load_string(hybridsim::test::mini_with("seed: 7", "seed: 18446744073709551615"), "s.yaml");
  const hs::Scenario s = load(doc);
  CHECK(s.seed == top);
  CHECK(s.resolved_yaml.find("seed: 18446744073709551615") != std::string::npos);
  Document again = Document::load_string(s.resolved_yaml, "stored.yaml");
  CHECK(load(again).seed == top);

  Document by_option = Document::load_string(kMiniScenario, "s.yaml");
  const hs::Scenario o = load(by_option, top - 1);
  CHECK(o.seed == top - 1);
  Document stored = Document::load_string(o.resolved_yaml, "stored.yaml");
  CHECK(load(stored).seed == top - 1);

  CHECK(error_of({"seed=18446744073709551616"}) ==
        "--set seed=18446744073709551616: seed: expected integer in [0, 18446744073709551615], got "
        "'18446744073709551616'");
  CHECK(error_of({"seed=-1"}) == "--set seed=-1: seed: expected integer in [0, 18446744073709551615], got '-1'");
}
