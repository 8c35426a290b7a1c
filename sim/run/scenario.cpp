#include "sim/run/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>

#include "sim/run/read_demand_response.hpp"

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
  static const std::vector<ParamSpec> specs{};
  return specs;
}

const std::vector<ParamSpec>& facility_params() {
  static const std::vector<ParamSpec> specs{
      ParamSpec::number("power_cap_mw", "MW",
                        "interconnect limit on grid power, cooling included; or a list of steps "
                        "[{from: DATE, mw: N}, ...]")
          .above(0),
  };
  return specs;
}

const std::vector<ParamSpec>& cap_step_params() {
  static const std::vector<ParamSpec> specs{
      ParamSpec::date("from", "the step applies from this instant (UTC) until the next"),
      ParamSpec::number("mw", "MW", "interconnect limit on grid power from then on").above(0),
  };
  return specs;
}

const std::vector<ParamSpec>& hall_params() {
  static const std::vector<ParamSpec> specs{
      ParamSpec::string("name", "hall name, referred to by machines"),
      ParamSpec::number("pue", "", "power usage effectiveness: grid power / IT power").at_least(1).at_most(3),
      ParamSpec::number("limit_mw", "MW", "most grid power the hall may draw (absent: only the cap)")
          .above(0)
          .optional(),
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

std::string mw_text(double mw) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", mw);
  return buf;
}

/// `facility.power_cap_mw` as a list of {from, mw} steps in strictly increasing time order,
/// the first at or before the epoch.
std::vector<CapStep> read_cap_steps(config::Document& doc, const YAML::Node& cap, const config::BuildContext& ctx) {
  if (cap.size() == 0)
    throw ScenarioError(doc.locate(cap), "facility.power_cap_mw: empty list; give a number of MW or steps like "
                                         "[{from: 2025-01-01, mw: 100}]");
  std::vector<CapStep> steps;
  for (std::size_t i = 0; i < cap.size(); ++i) {
    const std::string at = "facility.power_cap_mw[" + std::to_string(i) + "]";
    const auto p = config::read_params(doc, cap[i], at, cap_step_params(), ctx);
    const CapStep s{p.date_s("from"), p.number("mw")};
    if (i == 0 && s.from_s > 0)
      p.fail("from", "the first step must start at or before the scenario's start, so the cap is known from time 0");
    if (i > 0 && s.from_s <= steps.back().from_s) p.fail("from", "steps must be in strictly increasing time order");
    steps.push_back(s);
  }
  return steps;
}

std::vector<std::string> keys_of(const Plugins& plugins, bool world, std::vector<std::string> more) {
  for (const auto* s : plugins.sections) {
    const auto& k = world ? s->world_keys() : s->facility_keys();
    more.insert(more.end(), k.begin(), k.end());
  }
  return more;
}

}  // namespace

Scenario load_scenario(config::Document& doc, const Plugins& plugins, const std::optional<std::uint64_t>& seed) {
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
  // Dates are written as "seconds since <start>" and read back as datetime64[ns], which
  // spans 1677-09-21 to 2262-04-11; keep the whole run well inside that.
  const std::int64_t earliest = *parse_utc("1900-01-01"), latest = *parse_utc("2262-01-01");
  if (s.start_unix_s < earliest || s.start_unix_s > latest - s.horizon_s)
    top.fail("start", "is " + format_utc(s.start_unix_s).substr(0, 10) +
                          "; the run must lie between 1900-01-01 and 2262-01-01 (start + horizon_years), the range "
                          "result files can store as dates");
  s.record_every_s = top.duration_s("record_every");
  if (s.record_every_s > s.horizon_s) top.fail("record_every", "is longer than the horizon");

  ctx.epoch_unix_s = s.start_unix_s;
  ctx.horizon_s = s.horizon_s;
  const std::filesystem::path src(doc.origin());
  ctx.scenario_dir = src.has_parent_path() ? src.parent_path().string() : ".";
  s.build = ctx;

  // world: the kernel reads the power price; the families read theirs.
  YAML::Node world = section(doc, root, "world", "", true);
  config::read_params(doc, world, "world", world_params(), ctx, keys_of(plugins, true, {"power_price"}));
  const YAML::Node power = world["power_price"];
  if (!power.IsDefined() || power.IsNull())
    throw ScenarioError(doc.locate(world), "world: missing required key 'power_price' (valid models: " +
                                               config::join(plugins.power_price->names()) + ")");
  s.power_price = config::read_model(doc, power, "world.power_price", *plugins.power_price, ctx);

  // facility: cap, halls and dispatch here; machines in the families' sections.
  YAML::Node facility = section(doc, root, "facility", "", true);
  const std::vector<std::string> kernel_keys{"halls", "dispatch", "demand_response"};
  const YAML::Node cap_node = facility["power_cap_mw"];
  if (cap_node.IsDefined() && cap_node.IsSequence()) {
    std::vector<std::string> extra = keys_of(plugins, false, kernel_keys);
    extra.push_back("power_cap_mw");
    config::read_params(doc, facility, "facility", {}, ctx, extra);
    s.cap_steps = read_cap_steps(doc, cap_node, ctx);
  } else {
    const auto f = config::read_params(doc, facility, "facility", facility_params(), ctx, keys_of(plugins, false, kernel_keys));
    s.cap_steps.push_back(CapStep{0, f.number("power_cap_mw")});
  }
  double max_cap_mw = 0.0, min_cap_mw = std::numeric_limits<double>::infinity();
  for (const auto& c : s.cap_steps) {
    max_cap_mw = std::max(max_cap_mw, c.mw);
    min_cap_mw = std::min(min_cap_mw, c.mw);
  }

  const YAML::Node halls = facility["halls"];
  if (!halls.IsDefined() || !halls.IsSequence() || halls.size() == 0)
    throw ScenarioError(doc.locate(halls.IsDefined() ? halls : facility),
                        "facility.halls: expected a list of halls like {name: mining, pue: 1.05}");
  for (std::size_t i = 0; i < halls.size(); ++i) {
    const auto h = config::read_params(doc, halls[i], "facility.halls[" + std::to_string(i) + "]", hall_params(), ctx);
    HallSpec hall{h.string("name"), h.number("pue")};
    if (h.has("limit_mw")) {
      hall.limit_mw = h.number("limit_mw");
      if (hall.limit_mw > max_cap_mw)
        h.fail("limit_mw", "is above the interconnect cap (" + mw_text(max_cap_mw) +
                               " MW at most); a hall limit must be at most the cap");
    }
    for (const auto& other : s.halls)
      if (other.name == hall.name) h.fail("name", "hall '" + hall.name + "' is defined twice");
    s.halls.push_back(hall);
  }

  // An absent dispatch map is today's static split; it is written out so the resolved
  // scenario shows the policy and its defaults.
  if (!facility["dispatch"].IsDefined() || facility["dispatch"].IsNull()) {
    YAML::Node d(YAML::NodeType::Map);
    d["model"] = "static";
    facility["dispatch"] = d;
  }
  s.dispatch = config::read_model(doc, facility["dispatch"], "facility.dispatch", *plugins.dispatch, ctx);
  s.decision_step_s = s.dispatch.params.duration_s("decision_step");
  ctx.decision_step_s = s.decision_step_s;
  s.build = ctx;

  s.demand_response = read_demand_response(doc, facility, ctx);

  for (const auto* sec : plugins.sections)
    if (auto spec = sec->read(doc, world, facility, s.halls, ctx)) s.sections.push_back(std::move(spec));
  double gpu_mw = 0.0, all_mw = 0.0;
  for (const auto& spec : s.sections) {
    gpu_mw += spec->nameplate_mw(LoadKind::kGpu);
    all_mw += spec->nameplate_mw(LoadKind::kGpu) + spec->nameplate_mw(LoadKind::kAsic);
  }
  if (all_mw <= 0.0)
    throw ScenarioError(doc.locate(facility), "facility: no machines; give asic_cohorts and/or gpu_clusters");
  // The static split reserves the GPUs' most power (contracted capacity comes first): it must fit.
  if (s.dispatch.name() == "static" && gpu_mw > min_cap_mw * (1 + 1e-12))
    throw ScenarioError(doc.locate(cap_node.IsDefined() ? cap_node : facility),
                        "facility.power_cap_mw: the GPU clusters may draw " + mw_text(gpu_mw) +
                            " MW (PUE included), more than the cap; raise the cap, shrink gpu_clusters, or choose a "
                            "dispatch policy that shares power (e.g. marginal_value)");

  // finance
  YAML::Node finance = section(doc, root, "finance", "", false);
  const auto fin = config::read_params(doc, finance, "finance", finance_params(), ctx);
  s.initial_cash_usd = fin.number("initial_cash_usd");
  s.fixed_cost_usd_per_year = fin.number("fixed_cost_usd_per_year");

  s.resolved_yaml = YAML::Dump(root);
  return s;
}

}  // namespace hybridsim::sim
