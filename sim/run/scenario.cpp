#include "sim/run/scenario.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "models/ai/ai_section.hpp"
#include "models/catalogue.hpp"

namespace hybridsim::sim {

using config::ParamSpec;
using config::ScenarioError;

const std::vector<ParamSpec>& scenario_params() {
  static const std::vector<ParamSpec> specs{
      ParamSpec::string("name", "a short name for the scenario"),
      ParamSpec::string("description", "what the scenario is about").defaults("\"\""),
      ParamSpec::date("start", "the epoch: simulated time 0, UTC"),
      ParamSpec::number("horizon_years", "year", "length of the run in Julian years (365.25 d)").above(0).at_most(200),
      ParamSpec::integer("seed", "", "seed of every random stream").at_least(0).defaults(1.0),
      ParamSpec::duration("record_every", "interval of the recorded time series").defaults("1d"),
  };
  return specs;
}

const std::vector<ParamSpec>& world_params() {
  static const std::vector<ParamSpec> specs{
      ParamSpec::duration("power_step", "interval of power price steps").defaults("1h"),
  };
  return specs;
}

const std::vector<ParamSpec>& facility_params() {
  static const std::vector<ParamSpec> specs{
      ParamSpec::number("power_cap_mw", "MW", "interconnect limit on grid power, cooling included").above(0),
  };
  return specs;
}

const std::vector<ParamSpec>& hall_params() {
  static const std::vector<ParamSpec> specs{
      ParamSpec::string("name", "hall name, referred to by machines"),
      ParamSpec::number("pue", "", "power usage effectiveness: grid power / IT power").at_least(1).at_most(3),
  };
  return specs;
}

const std::vector<ParamSpec>& finance_params() {
  static const std::vector<ParamSpec> specs{
      ParamSpec::number("initial_cash_usd", "USD", "cash at the start").defaults(0.0),
      ParamSpec::number("fixed_cost_usd_per_year", "USD/year", "staff, maintenance, insurance").at_least(0).defaults(0.0),
  };
  return specs;
}

namespace {

YAML::Node section(config::Document& doc, YAML::Node parent, const std::string& key, const std::string& path,
                   bool required) {
  YAML::Node n = parent[key];
  if (!n.IsDefined() || n.IsNull()) {
    if (required)
      throw ScenarioError(doc.locate(parent), (path.empty() ? "" : path + ": ") + "missing required key '" + key + "'");
    parent[key] = YAML::Node(YAML::NodeType::Map);
    n.reset(parent[key]);
  }
  if (!n.IsMap())
    throw ScenarioError(doc.locate(n), (path.empty() ? key : path + "." + key) + ": expected a map, got " +
                                           config::describe(n));
  return n;
}

std::vector<std::string> concat(std::initializer_list<const std::vector<std::string>*> lists,
                                std::vector<std::string> more = {}) {
  std::vector<std::string> out;
  for (const auto* l : lists) out.insert(out.end(), l->begin(), l->end());
  out.insert(out.end(), more.begin(), more.end());
  return out;
}

}  // namespace

Scenario load_scenario(config::Document& doc, const std::optional<std::uint64_t>& seed) {
  const auto& cat = models::catalogue();
  YAML::Node root = doc.root();
  Scenario s;
  s.source = doc.origin();

  config::BuildContext ctx;
  const auto top = config::read_params(doc, root, "", scenario_params(), ctx, {"world", "facility", "finance"});
  s.name = top.string("name");
  s.description = top.string("description");
  s.start_unix_s = top.date_s("start");  // epoch 0 in ctx: absolute seconds
  s.horizon_s = static_cast<SimTime>(std::llround(top.number("horizon_years") * kSecondsPerYear));
  s.seed = seed ? *seed : static_cast<std::uint64_t>(top.integer("seed"));
  if (seed) root["seed"] = static_cast<long long>(*seed);
  s.record_every_s = top.duration_s("record_every");
  if (s.record_every_s > s.horizon_s) top.fail("record_every", "is longer than the horizon");

  ctx.epoch_unix_s = s.start_unix_s;
  ctx.horizon_s = s.horizon_s;
  const std::filesystem::path src(doc.origin());
  ctx.scenario_dir = src.has_parent_path() ? src.parent_path().string() : ".";
  s.build = ctx;

  // world
  YAML::Node world = section(doc, root, "world", "", true);
  const auto w = config::read_params(doc, world, "world", world_params(), ctx,
                                     concat({&models::bitcoin::bitcoin_world_keys()}, {"power_price"}));
  s.power_step_s = w.duration_s("power_step");
  s.bitcoin = models::bitcoin::read_bitcoin_world(doc, world, "world", ctx, cat.bitcoin);
  const YAML::Node power = world["power_price"];
  if (!power.IsDefined() || power.IsNull())
    throw ScenarioError(doc.locate(world), "world: missing required key 'power_price' (valid models: " +
                                               config::join(cat.power.power_price.names()) + ")");
  s.power_price = config::read_model(doc, power, "world.power_price", cat.power.power_price, ctx);

  // facility
  YAML::Node facility = section(doc, root, "facility", "", true);
  const auto f = config::read_params(
      doc, facility, "facility", facility_params(), ctx,
      concat({&models::bitcoin::mining_facility_keys(), &models::ai::facility_keys()}, {"halls"}));
  s.power_cap_mw = f.number("power_cap_mw");
  const YAML::Node halls = facility["halls"];
  if (!halls.IsDefined() || !halls.IsSequence() || halls.size() == 0)
    throw ScenarioError(doc.locate(halls.IsDefined() ? halls : facility),
                        "facility.halls: expected a list of halls like {name: mining, pue: 1.05}");
  for (std::size_t i = 0; i < halls.size(); ++i) {
    const auto h = config::read_params(doc, halls[i], "facility.halls[" + std::to_string(i) + "]", hall_params(), ctx);
    if (!s.hall_pue.emplace(h.string("name"), h.number("pue")).second)
      h.fail("name", "hall '" + h.string("name") + "' is defined twice");
  }
  s.mining = models::bitcoin::read_mining_spec(doc, facility, "facility", s.hall_pue, ctx, cat.bitcoin);
  s.ai = models::ai::read_ai_spec(doc, facility, "facility", s.hall_pue, ctx);
  if (s.ai) {
    // The GPU halls reserve their most power (contracted capacity comes first): it must fit.
    const double ai_mw = s.ai->max_grid_power_mw();
    if (ai_mw > s.power_cap_mw * (1 + 1e-12)) {
      char mw[64];
      std::snprintf(mw, sizeof mw, "%.3f", ai_mw);
      f.fail("power_cap_mw", "the GPU clusters may draw " + std::string(mw) +
                                 " MW (PUE included), more than the cap; raise the cap or shrink gpu_clusters");
    }
  }
  if (!s.mining && !s.ai)
    throw ScenarioError(doc.locate(facility), "facility: no machines; give asic_cohorts and/or GPU clusters");

  // finance
  YAML::Node finance = section(doc, root, "finance", "", false);
  const auto fin = config::read_params(doc, finance, "finance", finance_params(), ctx);
  s.initial_cash_usd = fin.number("initial_cash_usd");
  s.fixed_cost_usd_per_year = fin.number("fixed_cost_usd_per_year");

  s.resolved_yaml = YAML::Dump(root);
  return s;
}

}  // namespace hybridsim::sim
