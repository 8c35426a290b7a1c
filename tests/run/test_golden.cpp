// Golden results of the shipped scenarios: every flow's total, every stock's final value and
// the run's summary (revenue, EBITDA, NPV, IRR, payback, the parts' figures).
//
// Every scenarios/*.yaml must have tests/golden/<stem>.yaml and every golden a scenario, so a
// scenario added without its golden fails here with the command that creates it. Any change to
// a model, the engine's ordering or a random stream shows up here. When a change is intended,
// regenerate with `HYBRIDSIM_UPDATE_GOLDEN=1 build/bin/test_run "[golden]"` and say in the
// commit why the numbers moved.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>
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
  const hs::RunSummary& sum = sim.summary();
  out["events"] = static_cast<double>(sum.events);
  out["summary.revenue_usd"] = sum.revenue_usd;
  out["summary.operating_cost_usd"] = sum.operating_cost_usd;
  out["summary.ebitda_usd"] = sum.ebitda_usd;
  out["summary.capital_spent_usd"] = sum.capital_spent_usd;
  out["summary.npv_usd"] = sum.npv_usd;
  out["summary.terminal_value_usd"] = sum.terminal_value_usd;
  out["summary.irr_per_year"] = sum.irr_per_year;      // NaN when there is none
  out["summary.payback_years"] = sum.payback_years;    // NaN when cash never recovers
  out["summary.max_drawdown_usd"] = sum.max_drawdown_usd;
  for (const auto& item : sum.items) out["summary." + item.key] = item.value;
  return out;
}

const char* const kRegenerate = "HYBRIDSIM_UPDATE_GOLDEN=1 build/bin/test_run \"[golden]\"";

std::vector<fs::path> yaml_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("shipped scenarios reproduce their golden results", "[golden]") {
  const fs::path root = HYBRIDSIM_SOURCE_DIR;
  const bool update = std::getenv("HYBRIDSIM_UPDATE_GOLDEN") != nullptr;
  const auto scenarios = yaml_files(root / "scenarios");
  int checked = 0;
  for (const auto& scenario : scenarios) {
    const fs::path golden = root / "tests" / "golden" / (scenario.stem().string() + ".yaml");
    if (!update && !fs::exists(golden)) {
      FAIL_CHECK("scenarios/" << scenario.filename().string() << " has no golden results ("
                 << golden.string() << "): create it with `" << kRegenerate
                 << "`, check the figures, and commit it");
      continue;
    }
    const auto got = figures(scenario);
    if (update) {
      YAML::Emitter e;
      e.SetDoublePrecision(17);
      e << YAML::BeginMap;
      for (const auto& [k, v] : got) e << YAML::Key << k << YAML::Value << v;
      e << YAML::EndMap;
      std::ofstream(golden) << "# Golden results of scenarios/" << scenario.filename().string()
                            << " (flows: totals; stocks: final values; summary.*: the run's summary)\n"
                            << e.c_str() << "\n";
      continue;
    }
    INFO("scenario " << scenario.filename().string() << " against " << golden.string()
                     << " (regenerate, when a change is meant to move results: " << kRegenerate << ")");
    const YAML::Node want = YAML::LoadFile(golden.string());
    for (const auto& kv : want) {
      const auto key = kv.first.as<std::string>();
      INFO(key);
      CHECK(got.count(key) == 1);  // a figure the golden has and the run no longer produces
    }
    for (const auto& [k, v] : got) {
      INFO(k);
      if (!want[k].IsDefined()) {
        FAIL_CHECK("the run produces " << k << ", which the golden lacks");
        continue;
      }
      const double w = want[k].as<double>();
      if (std::isnan(w) || std::isnan(v)) {
        CHECK(std::isnan(w) == std::isnan(v));
      } else {
        CHECK(v == Approx(w).epsilon(1e-9).margin(1e-9));
      }
    }
    ++checked;
  }
  // A golden whose scenario was removed or renamed is stale.
  for (const auto& golden : yaml_files(root / "tests" / "golden")) {
    INFO("tests/golden/" << golden.filename().string()
                          << " has no scenarios/" << golden.filename().string() << ": delete it, or restore its scenario");
    CHECK(fs::exists(root / "scenarios" / golden.filename()));
  }
  if (!update) CHECK(checked == static_cast<int>(scenarios.size()));
}
