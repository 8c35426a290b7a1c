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
      ParamSpec::unsigned_integer("seed", "seed of every random stream (the full 64 bits)").defaults("1"),
      ParamSpec::string("record_every",
                        "interval of the recorded time series: a duration (90s, 15m, 1h, 1d, 2w) or calendar "
                        "months and years (1 month, 3 months, 1 year)")
          .defaults("1d"),
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
      ParamSpec::number("limit_mw", "MW",
                        "most grid power the hall may draw (absent: only the cap); or a list of steps "
                        "[{from: DATE, mw: N}, ...]")
          .above(0)
          .optional(),
  };
  return specs;
}

const std::vector<ParamSpec>& hall_limit_step_params() {
  static const std::vector<ParamSpec> specs{
      ParamSpec::date("from", "the step applies from this instant (UTC) until the next"),
      ParamSpec::number("mw", "MW", "most grid power the hall may draw from then on (0: the hall is shut)").at_least(0),
  };
  return specs;
}

const std::vector<ParamSpec>& finance_params() {
  static const std::vector<ParamSpec> specs{
      ParamSpec::number("initial_cash_usd", "USD", "cash at the start").defaults(0.0),
      ParamSpec::number("fixed_cost_usd_per_year", "USD/year", "staff, maintenance, insurance").at_least(0).defaults(0.0),
      ParamSpec::number("discount_rate_per_year", "1/year",
                        "discount rate of the NPV, yearly compounding (assumed 10%: a common hurdle rate)")
          .above(-1)
          .defaults(0.1),
      ParamSpec::string("terminal_value",
                        "horizon treatment of NPV, IRR and payback: none (the simulated years only) or contracted "
                        "(plus the cash that leases and loans in force at the horizon fix after it)")
          .one_of({"none", "contracted"})
          .defaults("none"),
  };
  return specs;
}

const std::vector<ParamSpec>& loan_params() {
  static const std::vector<ParamSpec> specs{
      ParamSpec::string("name", "the loan's name").defaults("loan"),
      ParamSpec::number("principal_usd", "USD", "amount drawn").above(0),
      ParamSpec::number("rate_per_year", "1/year", "nominal interest rate, paid payments_per_year times a year").at_least(0),
      ParamSpec::number("term_years", "year", "amortisation period (may run past the horizon)").above(0).at_most(100),
      ParamSpec::date("drawn", "when the principal is drawn (default: the start)").optional(),
      ParamSpec::integer("payments_per_year", "1/year", "level payments a year").defaults(12.0).at_least(1).at_most(365),
  };
  return specs;
}

const std::vector<ParamSpec>& conversion_params() {
  static const std::vector<ParamSpec> specs{
      ParamSpec::string("name", "the conversion's name (contracts may start on its completion)"),
      ParamSpec::string("from", "hall that gives up the megawatts (it needs a limit_mw)"),
      ParamSpec::string("to", "hall that gains them on completion"),
      ParamSpec::number("mw", "MW", "grid MW converted").above(0),
      ParamSpec::number("capex_usd_per_mw", "USD/MW",
                        "capital per MW, paid at the start (reported 3-5 M USD/MW, up to 8-11 M per MW of critical IT)")
          .at_least(0),
      ParamSpec::number("lead_time_days", "d", "dark period from start to completion (reported 12-24 months)").at_least(0),
      ParamSpec::date("at", "start date (or give a trigger)").optional(),
      ParamSpec::string("trigger.signal", "series watched, e.g. hashprice_usd_per_th_day").optional(),
      ParamSpec::number("trigger.below", "", "the trigger holds while the signal is below this").optional(),
      ParamSpec::number("trigger.for_days", "d", "how long it must hold before the conversion starts").at_least(0).optional(),
  };
  return specs;
}

const std::vector<std::string>& kernel_signals() {
  static const std::vector<std::string> names{"power_price_usd_per_mwh"};
  return names;
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

/// `facility.halls[i].limit_mw` as a list of {from, mw} steps: strictly increasing in time, the
/// first at or before the epoch, each at most the largest cap.
std::vector<HallLimitStep> read_hall_limit_steps(config::Document& doc, const YAML::Node& list, const std::string& at,
                                                 double max_cap_mw, const config::BuildContext& ctx) {
  if (list.size() == 0)
    throw ScenarioError(doc.locate(list), at + ": empty list; give a number of MW or steps like "
                                               "[{from: 2025-01-01, mw: 100}]");
  std::vector<HallLimitStep> steps;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto p = config::read_params(doc, list[i], at + "[" + std::to_string(i) + "]", hall_limit_step_params(), ctx);
    const HallLimitStep s{p.date_s("from"), p.number("mw")};
    if (i == 0 && s.from_s > 0)
      p.fail("from", "the first step must start at or before the scenario's start, so the limit is known from time 0");
    if (i > 0 && s.from_s <= steps.back().from_s) p.fail("from", "steps must be in strictly increasing time order");
    if (s.mw > max_cap_mw)
      p.fail("mw", "is above the interconnect cap (" + mw_text(max_cap_mw) + " MW at most); a hall limit must be at most the cap");
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

/// `facility.conversions`: each from a hall with a limit, taking at most what it has left,
/// at a date or on a trigger naming a published signal. A `to` hall without a limit_mw of its
/// own starts at 0 MW: it is built by its conversions.
std::vector<ConversionSpec> read_conversions(config::Document& doc, const YAML::Node& facility, Scenario& s,
                                             const config::BuildContext& ctx) {
  std::vector<ConversionSpec> out;
  const YAML::Node list = facility["conversions"];
  if (!list.IsDefined() || list.IsNull()) {
    for (const auto& spec : s.sections) spec->check_milestones({});
    return out;
  }
  if (!list.IsSequence())
    throw ScenarioError(doc.locate(list), "facility.conversions: expected a list of conversions like {name: hpc1, "
                                          "from: mining, to: hpc, mw: 200, capex_usd_per_mw: 4.0e6, "
                                          "lead_time_days: 365, at: 2026-01-01}, got " + config::describe(list));
  std::vector<std::string> signals = kernel_signals();
  for (const auto& spec : s.sections)
    for (auto& n : spec->signals()) signals.push_back(n);
  const auto hall_of = [&](const config::Params& p, const char* key) -> std::size_t {
    for (std::size_t h = 0; h < s.halls.size(); ++h)
      if (s.halls[h].name == p.string(key)) return h;
    std::vector<std::string> names;
    for (const auto& h : s.halls) names.push_back(h.name);
    p.fail(key, "unknown hall '" + p.string(key) + "'; halls: " + config::join(names));
  };
  // With steps, a conversion may take at most the hall's largest step (less earlier
  // conversions); while a step is lower the hall's limit stays at 0, never below.
  std::vector<double> left_mw;
  for (const auto& h : s.halls) {
    double most_mw = h.limit_mw;
    for (const auto& step : h.limit_steps) most_mw = std::max(most_mw, step.mw);
    left_mw.push_back(most_mw);
  }
  std::vector<bool> built(s.halls.size(), false);
  std::vector<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto p = config::read_params(doc, list[i], "facility.conversions[" + std::to_string(i) + "]",
                                       conversion_params(), ctx);
    ConversionSpec c;
    c.name = p.string("name");
    for (const auto& n : names)
      if (n == c.name) p.fail("name", "conversion '" + c.name + "' is defined twice; give each its own name");
    c.from = p.string("from");
    c.to = p.string("to");
    const std::size_t from = hall_of(p, "from");
    const std::size_t to = hall_of(p, "to");
    if (from == to) p.fail("to", "is the hall converted from; convert into another hall");
    c.mw = p.number("mw");
    if (!std::isfinite(s.halls[from].limit_mw))
      p.fail("from", "hall '" + c.from + "' has no limit_mw; give the hall a limit_mw so the converted MW can be taken from it");
    if (c.mw > left_mw[from] * (1 + 1e-12))
      p.fail("mw", mw_text(c.mw) + " MW is more than hall '" + c.from + "' has (" + mw_text(left_mw[from]) +
                       " MW); at most the hall's limit_mw (its largest step) less earlier conversions from it");
    left_mw[from] -= c.mw;
    built[to] = true;
    c.capex_usd_per_mw = p.number("capex_usd_per_mw");
    c.lead_time_s = static_cast<SimTime>(std::llround(p.number("lead_time_days") * 86400.0));
    const bool triggered = p.has("trigger.signal") || p.has("trigger.below") || p.has("trigger.for_days");
    if (p.has("at") == triggered)
      p.fail(p.has("at") ? "at" : "name", "give either a start date `at` or a `trigger`, not both or neither");
    if (p.has("at")) {
      c.at_s = p.date_s("at");
    } else {
      for (const char* key : {"trigger.signal", "trigger.below", "trigger.for_days"})
        if (!p.has(key)) p.fail("trigger.signal", std::string("a trigger needs signal, below and for_days; ") + key + " is missing");
      ConversionTrigger t;
      t.signal = p.string("trigger.signal");
      if (std::find(signals.begin(), signals.end(), t.signal) == signals.end())
        p.fail("trigger.signal", "unknown signal '" + t.signal + "'; signals: " + config::join(signals));
      t.below = p.number("trigger.below");
      t.for_s = static_cast<SimTime>(std::llround(p.number("trigger.for_days") * 86400.0));
      c.trigger = t;
    }
    names.push_back(c.name);
    out.push_back(std::move(c));
  }
  for (std::size_t h = 0; h < s.halls.size(); ++h)
    if (built[h] && !std::isfinite(s.halls[h].limit_mw)) s.halls[h].limit_mw = 0.0;
  for (const auto& spec : s.sections) spec->check_milestones(names);
  return out;
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
  s.seed = seed ? *seed : top.unsigned_integer("seed");
  if (seed) root["seed"] = std::to_string(*seed);  // as text: never through a signed type
  // Dates are written as "seconds since <start>" and read back as datetime64[ns], which
  // spans 1677-09-21 to 2262-04-11; keep the whole run well inside that.
  const std::int64_t earliest = *parse_utc("1900-01-01"), latest = *parse_utc("2262-01-01");
  if (s.start_unix_s < earliest || s.start_unix_s > latest - s.horizon_s)
    top.fail("start", "is " + format_utc(s.start_unix_s).substr(0, 10) +
                          "; the run must lie between 1900-01-01 and 2262-01-01 (start + horizon_years), the range "
                          "result files can store as dates");
  const std::string every = top.string("record_every");
  const auto interval = parse_record_interval(every);
  if (!interval)
    top.fail("record_every", "'" + every +
                                 "' is not a recording interval; accepted: a positive duration in s, m, h, d or w "
                                 "(90s, 15m, 1h, 1d, 2w; a bare number is seconds) or whole calendar months or years "
                                 "(1 month, 3 months, 1 year, 2 years)");
  s.record_every_months = interval->months;
  // A calendar interval's mean length stands in for it where only a size matters (estimates).
  s.record_every_s = interval->months > 0 ? interval->months * (kSecondsPerYear / 12) : interval->seconds;
  const SimTime first_stamp_s =
      interval->months > 0 ? calendar_stamp_s(s.start_unix_s, interval->months, 1) : interval->seconds;
  if (first_stamp_s > s.horizon_s) top.fail("record_every", "is longer than the horizon");

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
  const std::vector<std::string> kernel_keys{"halls", "dispatch", "demand_response", "conversions"};
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
    const std::string at = "facility.halls[" + std::to_string(i) + "]";
    const YAML::Node limit_node = halls[i].IsMap() ? halls[i]["limit_mw"] : YAML::Node();
    const bool stepped = limit_node.IsDefined() && limit_node.IsSequence();
    std::vector<ParamSpec> specs;
    for (const auto& spec : hall_params())
      if (!stepped || spec.name != "limit_mw") specs.push_back(spec);
    const auto h = config::read_params(doc, halls[i], at, specs, ctx, stepped ? std::vector<std::string>{"limit_mw"}
                                                                              : std::vector<std::string>{});
    HallSpec hall{h.string("name"), h.number("pue")};
    if (stepped) {
      hall.limit_steps = read_hall_limit_steps(doc, limit_node, at + ".limit_mw", max_cap_mw, ctx);
      for (const auto& step : hall.limit_steps)
        if (step.from_s <= 0) hall.limit_mw = step.mw;
    } else if (h.has("limit_mw")) {
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

  s.conversions = read_conversions(doc, facility, s, ctx);

  // finance
  YAML::Node finance = section(doc, root, "finance", "", false);
  const auto fin = config::read_params(doc, finance, "finance", finance_params(), ctx, {"loans"});
  s.initial_cash_usd = fin.number("initial_cash_usd");
  s.fixed_cost_usd_per_year = fin.number("fixed_cost_usd_per_year");
  s.discount_rate_per_year = fin.number("discount_rate_per_year");
  s.terminal_value = fin.string("terminal_value");
  const YAML::Node loans = finance["loans"];
  if (loans.IsDefined() && !loans.IsNull()) {
    if (!loans.IsSequence())
      throw ScenarioError(doc.locate(loans), "finance.loans: expected a list of loans like {principal_usd: 1.0e8, "
                                             "rate_per_year: 0.08, term_years: 5}, got " + config::describe(loans));
    for (std::size_t i = 0; i < loans.size(); ++i) {
      const auto p = config::read_params(doc, loans[i], "finance.loans[" + std::to_string(i) + "]", loan_params(), ctx);
      finance::LoanSpec l;
      l.name = p.string("name");
      l.principal_usd = p.number("principal_usd");
      l.rate_per_year = p.number("rate_per_year");
      l.term_years = p.number("term_years");
      l.drawn_s = p.has("drawn") ? p.date_s("drawn") : 0;
      l.payments_per_year = static_cast<int>(p.integer("payments_per_year"));
      s.loans.push_back(l);
    }
  }

  s.resolved_yaml = YAML::Dump(root);
  s.warnings = doc.warnings();
  return s;
}

}  // namespace hybridsim::sim
