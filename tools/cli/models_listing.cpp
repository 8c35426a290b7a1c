#include "tools/cli/models_listing.hpp"

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

struct Printer {
  std::ostream& out;
  const std::string& filter;
  bool printed = false;

  void section(const std::string& key, const std::string& what, const std::vector<ParamSpec>& params) {
    if (!filter.empty() && filter != key) return;
    printed = true;
    out << fmt::format("  {} — {}\n", key, what);
    print_params(out, params);
  }

  template <typename Registry>
  void family(const std::string& where, const Registry& r) {
    if (!filter.empty() && filter != r.family()) return;
    printed = true;
    out << fmt::format("\n{} ({}: {{model: NAME, ...}}) — {}\n", r.family(), where, r.description());
    for (const auto& e : r.entries()) {
      out << fmt::format("  {} — {}\n", e.info.name, e.info.description);
      print_params(out, e.info.params);
    }
  }
};

}  // namespace

bool print_models(std::ostream& out, std::ostream& err, const std::string& filter) {
  const auto& c = models::catalogue();
  Printer p{out, filter};
  if (filter.empty()) out << "Scenario sections (YAML keys, their types and units, defaults):\n";
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
  if (!p.printed)
    err << "hybridsim models: no model family or section named '" << filter
        << "'; run `hybridsim models` for the list (e.g. btc_price, network, facility.halls[])\n";
  return p.printed;
}

}  // namespace hybridsim::tools
