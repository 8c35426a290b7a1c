#include "tools/cli/models_listing.hpp"

#include <sstream>

#include <fmt/format.h>

#include "models/ai/ai_section.hpp"
#include "models/bitcoin/bitcoin_world.hpp"
#include "models/bitcoin/mining_fleet.hpp"
#include "models/catalogue.hpp"
#include "sim/run/read_demand_response.hpp"
#include "sim/run/scenario.hpp"

namespace hybridsim::tools {
namespace {

using sim::config::ParamSpec;

void print_params(std::ostream& out, const std::vector<ParamSpec>& params) {
  for (const auto& p : params) {
    std::string def = p.default_yaml ? "default " + *p.default_yaml : (p.optional_no_default ? "optional" : "required");
    out << fmt::format("      {:<26} {:<44} {:<16} {}\n", p.name, p.accepted(), def, p.description);
  }
}

// Prints to `out`, or (when `rows` is set) collects one row per parameter instead.
struct Printer {
  std::ostream& out;
  const std::string& filter;
  std::vector<ModelRow>* rows = nullptr;
  bool printed = false;

  void add_rows(const std::string& section, const std::string& family, const std::string& model,
                const std::string& model_description, const std::vector<ParamSpec>& params) {
    // A model without parameters still gets its row, so that every model is listed.
    if (params.empty()) {
      ModelRow row;
      row.section = section, row.family = family, row.model = model, row.model_description = model_description;
      rows->push_back(std::move(row));
    }
    for (const auto& p : params)
      rows->push_back({section, family, model, model_description, p.name, std::string(sim::config::type_name(p.type)),
                       p.unit, p.default_yaml ? *p.default_yaml : "", !p.default_yaml && !p.optional_no_default,
                       p.accepted(), p.description});
  }

  void section(const std::string& key, const std::string& what, const std::vector<ParamSpec>& params) {
    if (!filter.empty() && filter != key) return;
    printed = true;
    if (rows) return add_rows(key, key, "", what, params);
    out << fmt::format("  {} — {}\n", key, what);
    print_params(out, params);
  }

  template <typename Registry>
  void family(const std::string& where, const Registry& r) {
    if (!filter.empty() && filter != r.family()) return;
    printed = true;
    if (rows) {
      for (const auto& e : r.entries()) add_rows(where, r.family(), e.info.name, e.info.description, e.info.params);
      return;
    }
    out << fmt::format("\n{} ({}: {{model: NAME, ...}}) — {}\n", r.family(), where, r.description());
    for (const auto& e : r.entries()) {
      out << fmt::format("  {} — {}\n", e.info.name, e.info.description);
      print_params(out, e.info.params);
    }
  }
};

void walk(Printer& p) {
  const auto& c = models::catalogue();
  p.section("scenario", "top level of the file", sim::scenario_params());
  p.section("world", "the exogenous world", sim::world_params());
  p.section("world.bitcoin", "the chain at the start and the world's steps", models::bitcoin::bitcoin_chain_params());
  p.section("facility", "the site", sim::facility_params());
  p.section("facility.power_cap_mw[]", "the cap as steps over time", sim::cap_step_params());
  p.section("facility.halls[]", "halls, their cooling overhead and power limit", sim::hall_params());
  p.section("facility.demand_response.programs[]", "paid to curtail below the baseline during events",
            sim::dr_program_params());
  p.section("facility.demand_response.programs[].events[]", "scheduled events", sim::dr_event_params());
  p.section("facility.demand_response.coincident_peaks", "4CP transmission charges and their prediction",
            sim::coincident_peak_params());
  p.section("facility.asic_cohorts[]", "cohorts of identical ASICs", models::bitcoin::asic_cohort_params());
  p.section("facility.mining", "how the ASIC fleet is run", models::bitcoin::mining_params());
  p.section("facility.gpu_clusters[]", "GPU clusters, owned or a tenant's", models::ai::gpu_cluster_params());
  p.section("facility.ai_shock", "the AI bubble bursting on a date", models::ai::ai_shock_params());
  p.section("finance", "money outside energy and revenue", sim::finance_params());
  p.family("world.btc_price", c.bitcoin.btc_price);
  p.family("world.network", c.bitcoin.network);
  p.family("world.fees", c.bitcoin.fees);
  p.family("world.power_price", c.power.power_price);
  p.family("facility.dispatch", c.dispatch.dispatch);
  p.family("facility.pool", c.bitcoin.pool);
  p.family("facility.jobs", c.ai.jobs);
  p.family("facility.scheduler", c.ai.scheduler);
  p.family("facility.contracts[]", c.ai.contracts);
  p.family("facility.gpu_price", c.ai.gpu_price);
}

}  // namespace

std::vector<ModelRow> model_rows() {
  std::vector<ModelRow> rows;
  std::ostringstream unused;
  const std::string all;
  Printer p{unused, all, &rows};
  walk(p);
  return rows;
}

bool print_models(std::ostream& out, std::ostream& err, const std::string& filter) {
  Printer p{out, filter};
  if (filter.empty()) out << "Scenario sections (YAML keys, their types and units, defaults):\n";
  walk(p);
  if (!p.printed)
    err << "hybridsim models: no model family or section named '" << filter
        << "'; run `hybridsim models` for the list (e.g. btc_price, network, facility.halls[])\n";
  return p.printed;
}

}  // namespace hybridsim::tools
