// Golden results of the shipped scenarios: every flow's total and every stock's final value.
//
// Any change to a model, the engine's ordering or a random stream shows up here. When a
// change is intended, regenerate with `HYBRIDSIM_UPDATE_GOLDEN=1 build/bin/test_run "[golden]"`
// and say in the commit why the numbers moved.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <variant>

#include <yaml-cpp/yaml.h>

#include "models/catalogue.hpp"
#include "sim/config/document.hpp"
#include "sim/run/scenario.hpp"
#include "sim/run/simulation.hpp"

namespace fs = std::filesystem;
namespace hs = hybridsim::sim;

namespace {

std::map<std::string, double> figures(const fs::path& scenario) {
  auto doc = hs::config::Document::load_file(scenario.string());
  const hs::Scenario s = hs::load_scenario(doc, hybridsim::models::plugins());
  hs::Simulation sim(s);
  const hs::output::RunDataset data = sim.run();
  std::map<std::string, double> out;
  for (const auto& c : data.series) {
    const bool flow = c.info.cell_methods == "time: sum";
    std::visit(
        [&](const auto& v) {
          using T = typename std::decay_t<decltype(v)>::value_type;
          if constexpr (!std::is_same_v<T, std::string>) {
            // A 2-D series gives one figure per label, keyed `name[label]`: every label is
            // checked, and the key names the label rather than its position.
            const std::size_t width = c.second ? c.second->labels.size() : 1;
            for (std::size_t i = 0; i < width; ++i) {
              double total = 0, last = 0;
              for (std::size_t k = i; k < v.size(); k += width) {
                total += static_cast<double>(v[k]);
                last = static_cast<double>(v[k]);
              }
              const std::string key = c.second ? c.info.name + "[" + c.second->labels[i] + "]" : c.info.name;
              out[key + (flow ? ".total" : ".final")] = flow ? total : last;
            }
          }
        },
        c.data);
  }
  out["events"] = static_cast<double>(sim.summary().events);
  return out;
}

}  // namespace

TEST_CASE("shipped scenarios reproduce their golden results", "[golden]") {
  const fs::path root = HYBRIDSIM_SOURCE_DIR;
  const bool update = std::getenv("HYBRIDSIM_UPDATE_GOLDEN") != nullptr;
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(root / "scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    const fs::path golden = root / "tests" / "golden" / (entry.path().stem().string() + ".yaml");
    const auto got = figures(entry.path());
    if (update) {
      YAML::Emitter e;
      e.SetDoublePrecision(17);
      e << YAML::BeginMap;
      for (const auto& [k, v] : got) e << YAML::Key << k << YAML::Value << v;
      e << YAML::EndMap;
      std::ofstream(golden) << "# Golden results of scenarios/" << entry.path().filename().string()
                            << " (flows: totals; stocks: final values)\n"
                            << e.c_str() << "\n";
      continue;
    }
    INFO("scenario " << entry.path().filename().string() << " against " << golden.string());
    REQUIRE(fs::exists(golden));
    const YAML::Node want = YAML::LoadFile(golden.string());
    CHECK(want.size() == got.size());
    for (const auto& [k, v] : got) {
      INFO(k);
      REQUIRE(want[k].IsDefined());
      CHECK(v == Approx(want[k].as<double>()).epsilon(1e-9).margin(1e-9));
    }
    ++checked;
  }
  if (!update) CHECK(checked >= 3);
}
