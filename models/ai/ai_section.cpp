#include "models/ai/ai_section.hpp"

#include <cmath>
#include <set>

#include "models/ai/schedulers.hpp"
#include "sim/config/count_or_power.hpp"

namespace hybridsim::models::ai {

using sim::config::describe;
using sim::config::join;
using sim::config::ParamSpec;
using sim::config::ScenarioError;

namespace {

/// Power at load of known GPU types, W (NVIDIA H100 datasheet: H100 SXM 700 W, H100 PCIe
/// 350 W; B200 up to 1 kW, NVIDIA DGX B200 announcement [2nd]).
const std::map<std::string, double>& known_gpu_power_w() {
  static const std::map<std::string, double> table{{"H100 SXM", 700.0}, {"H100 PCIe", 350.0}, {"B200", 1000.0}};
  return table;
}

std::vector<std::string> known_gpu_names() {
  std::vector<std::string> out;
  for (const auto& [name, w] : known_gpu_power_w()) out.push_back(name);
  return out;
}

// A list under `key`, or a single map taken as a list of one.
std::vector<YAML::Node> items(const sim::config::Document& doc, const YAML::Node& node, const std::string& path,
                              bool map_allowed) {
  std::vector<YAML::Node> out;
  if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i) out.push_back(node[i]);
  } else if (map_allowed && node.IsMap()) {
    out.push_back(node);
  } else {
    throw ScenarioError(doc.locate(node), path + ": expected a list of maps" +
                                              std::string(map_allowed ? " (or one map)" : "") + ", got " + describe(node));
  }
  return out;
}

std::string item_path(const std::string& path, const YAML::Node& node, std::size_t i) {
  return node.IsSequence() ? path + "[" + std::to_string(i) + "]" : path;
}

}  // namespace

const std::vector<ParamSpec>& gpu_cluster_params() {
  static const std::vector<ParamSpec> specs{
      ParamSpec::string("name", "the cluster's name (default: gpu_clusters[i])").optional(),
      ParamSpec::string("gpu", "GPU type, e.g. H100 SXM"),
      ParamSpec::integer("count", "GPU", "GPUs in the cluster (or give power_mw)").at_least(1).at_most(1e8).optional(),
      ParamSpec::number("power_mw", "MW",
                        "instead of count: the cluster's IT nameplate, count = floor(power_mw · 10^6 / power_w), "
                        "power_w per GPU with no host overhead (written as count in the resolved scenario)")
          .above(0)
          .optional(),
      ParamSpec::integer("gpus_per_node", "GPU", "GPUs per node: a job wider than a node gets whole nodes").defaults(8.0).at_least(1).at_most(1e6),
      ParamSpec::number("power_w", "W", "per GPU at load (default for H100 SXM 700, H100 PCIe 350, B200 1000)").above(0).optional(),
      ParamSpec::number("idle_w", "W", "per GPU idle (default power_w / 7, as 100 W of an H100's 700 W)").at_least(0).optional(),
      ParamSpec::string("hall", "the hall it stands in (its PUE applies)"),
      ParamSpec::string("owner", "self: the facility owns and runs it; tenant: a colocation tenant's GPUs")
          .defaults("self").one_of({"self", "tenant"}),
      ParamSpec::string("contract", "tenant clusters: the colocation contract they are hosted under").optional(),
      ParamSpec::number("load", "", "tenant clusters: fraction of GPUs at load, the rest idle").defaults(1.0).at_least(0).at_most(1),
      ParamSpec::number("purchase_usd_per_gpu", "USD", "owned clusters: price per GPU, paid when the cluster arrives").defaults(0.0).at_least(0),
      ParamSpec::number("depreciation_years", "year", "owned clusters: straight-line depreciation period, from arrival").defaults(5.0).above(0),
      ParamSpec::date("arrives", "when the cluster is installed (and an owned one paid); default: the start").optional(),
      ParamSpec::string("starts_with", "owned clusters: installed and paid when this conversion completes (instead of arrives)").optional(),
      ParamSpec::date("retires", "when it is taken out: no power, no jobs (default: never)").optional(),
      ParamSpec::number("life_years", "year", "retire at this age after arrival instead of a date").above(0).optional(),
      ParamSpec::number("power_floor_fraction", "",
                        "owned clusters: lowest power cap of a busy GPU, fraction of power_w (H100 SXM: 200 W of 700 W; "
                        "1: never cap, only preempt)")
          .defaults(kH100PowerFloorFraction).above(0).at_most(1),
      ParamSpec::number("throughput_exponent", "",
                        "owned clusters: α in throughput = (power fraction)^α under a power cap (assumed 0.87)")
          .defaults(kH100ThroughputExponent).above(0).at_most(1),
  };
  return specs;
}

const std::vector<ParamSpec>& ai_shock_params() {
  static const std::vector<ParamSpec> specs{
      ParamSpec::date("at", "when the AI bubble bursts"),
      ParamSpec::number("default_probability", "", "each contract not yet ended defaults with this probability").defaults(1.0).at_least(0).at_most(1),
      ParamSpec::number("spot_price_factor", "", "the spot GPU-hour price is multiplied by this").defaults(1.0).above(0),
      ParamSpec::number("demand_factor", "", "job arrivals are thinned to this fraction").defaults(1.0).at_least(0).at_most(1),
  };
  return specs;
}


const std::vector<std::string>& facility_keys() {
  static const std::vector<std::string> keys{"gpu_clusters", "jobs", "scheduler", "contracts", "gpu_price", "ai_shock"};
  return keys;
}

std::shared_ptr<const AiSpec> read_ai_spec(const sim::config::Document& doc, const YAML::Node& facility_in,
                                           const std::string& path, const std::map<std::string, double>& hall_pue,
                                           const sim::config::BuildContext& ctx) {
  if (!facility_in.IsMap()) return nullptr;
  YAML::Node facility = facility_in;  // shares the tree: defaults land in the resolved scenario
  bool any = false;
  for (const auto& key : facility_keys()) any = any || facility[key].IsDefined();
  if (!any) return nullptr;
  const AiCatalogue& cat = ai_catalogue();
  auto spec = std::make_shared<AiSpec>();
  spec->decision_step_s = ctx.decision_step_s;
  const auto key_path = [&](const std::string& key) { return path.empty() ? key : path + "." + key; };

  // Contracts first: clusters and jobs refer to them by name.
  std::map<std::string, int> contract_index;
  if (facility["contracts"].IsDefined()) {
    const YAML::Node list = facility["contracts"];
    const auto nodes = items(doc, list, key_path("contracts"), false);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const std::string p = item_path(key_path("contracts"), list, i);
      auto model = sim::config::read_model(doc, nodes[i], p, cat.contracts, ctx);
      const auto& params = model.params;
      ContractTerms terms;
      terms.name = params.string("name");
      if (contract_index.count(terms.name))
        params.fail("name", "contract name '" + terms.name + "' is used twice; give each contract its own name");
      terms.start_s = params.has("start") ? params.date_s("start") : 0;
      if (params.has("starts_with")) {
        if (params.has("start")) params.fail("starts_with", "give either start (a date) or starts_with (a conversion), not both");
        terms.starts_with = params.string("starts_with");
      }
      terms.term_s = params.has("term_years")
                         ? std::max<sim::SimTime>(1, std::llround(params.number("term_years") * sim::kSecondsPerYear))
                         : 0;
      terms.renewal_probability = params.number("renewal_probability");
      terms.default_hazard_per_year = params.number("default_hazard_per_year");
      terms.priority = static_cast<int>(params.integer("priority"));
      contract_index[terms.name] = static_cast<int>(spec->contracts.size());
      spec->contracts.push_back(AiSpec::Contract{std::move(terms), std::move(model)});
    }
  }
  std::vector<std::string> contract_names;
  for (const auto& c : spec->contracts) contract_names.push_back(c.terms.name);
  const auto is_lease = [&](int k) { return spec->contracts[k].model.make()->hosts_tenant(); };

  int largest_owned = 0;
  std::vector<ClusterSpec> owned;  // jobs must fit one of them, in whole nodes
  std::set<int> hosted;
  if (facility["gpu_clusters"].IsDefined()) {
    const YAML::Node list = facility["gpu_clusters"];
    const auto nodes = items(doc, list, key_path("gpu_clusters"), false);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const std::string p = item_path(key_path("gpu_clusters"), list, i);
      const auto params = sim::config::read_params(doc, nodes[i], p, gpu_cluster_params(), ctx);
      ClusterSpec c;
      c.name = params.has("name") ? params.string("name") : p;
      c.gpu = params.string("gpu");
      c.gpus_per_node = static_cast<int>(params.integer("gpus_per_node"));
      if (params.has("power_w")) {
        c.power_w = params.number("power_w");
      } else if (auto it = known_gpu_power_w().find(c.gpu); it != known_gpu_power_w().end()) {
        c.power_w = it->second;
      } else {
        params.fail("gpu", "no default power for GPU type '" + c.gpu + "'; give power_w, or use one of: " +
                               join(known_gpu_names()));
      }
      c.count = static_cast<int>(sim::config::read_count_or_power(params, nodes[i], c.power_w, "GPU", 1e8));
      c.idle_w = params.has("idle_w") ? params.number("idle_w") : c.power_w / 7.0;
      if (c.idle_w > c.power_w) params.fail("idle_w", "idle power exceeds power at load (" + std::to_string(c.power_w) + " W)");
      const std::string hall = params.string("hall");
      c.hall = hall;
      c.power_floor_fraction = params.number("power_floor_fraction");
      c.throughput_exponent = params.number("throughput_exponent");
      const auto pue = hall_pue.find(hall);
      if (pue == hall_pue.end()) {
        std::vector<std::string> halls;
        for (const auto& [name, v] : hall_pue) halls.push_back(name);
        params.fail("hall", "unknown hall '" + hall + "'; halls: " + (halls.empty() ? "(none declared)" : join(halls)));
      }
      c.pue = pue->second;
      c.tenant = params.string("owner") == "tenant";
      c.load = params.number("load");
      c.purchase_usd_per_gpu = params.number("purchase_usd_per_gpu");
      c.depreciation_years = params.number("depreciation_years");
      if (params.has("starts_with")) {
        if (params.has("arrives")) params.fail("starts_with", "give either arrives (a date) or starts_with (a conversion), not both");
        if (c.tenant)
          params.fail("starts_with", "a tenant's cluster starts with its lease; give the contract starts_with instead");
        c.starts_with = params.string("starts_with");
        spec->cluster_starts_with.push_back(params);
      }
      c.arrives_s = params.has("arrives") ? params.date_s("arrives") : 0;
      if (params.has("retires") && params.has("life_years"))
        params.fail("life_years", "give either retires (a date) or life_years, not both");
      if (params.has("life_years"))
        c.life_s = std::max<sim::SimTime>(1, std::llround(params.number("life_years") * sim::kSecondsPerYear));
      if (params.has("retires")) {
        c.retires_s = params.date_s("retires");
        if (c.retires_s <= std::max<sim::SimTime>(0, c.arrives_s))
          params.fail("retires", "is not after the cluster arrives (" +
                                     sim::format_utc(ctx.epoch_unix_s + std::max<sim::SimTime>(0, c.arrives_s)) +
                                     "); a cluster retires after it arrives");
      }
      if (c.tenant) {
        if (!params.has("contract"))
          params.fail("owner", "a tenant cluster needs 'contract: NAME' naming its colocation contract");
        const auto it = contract_index.find(params.string("contract"));
        if (it == contract_index.end() || !is_lease(it->second))
          params.fail("contract", "'" + params.string("contract") + "' is not a colocation contract; contracts: " +
                                      (contract_names.empty() ? "(none declared)" : join(contract_names)));
        c.contract = it->second;
        hosted.insert(it->second);
      } else {
        if (params.has("contract"))
          params.fail("contract", "only tenant clusters name a contract (jobs name theirs in 'jobs')");
        largest_owned = std::max(largest_owned, c.count);
        owned.push_back(c);
      }
      spec->clusters.push_back(std::move(c));
    }
  }
  for (int k = 0; k < static_cast<int>(spec->contracts.size()); ++k)
    if (is_lease(k) && !hosted.count(k))
      spec->contracts[k].model.params.fail(
          "name", "colocation contract '" + contract_names[k] + "' hosts no cluster; add a gpu_clusters entry with owner: tenant, contract: " + contract_names[k]);

  if (facility["jobs"].IsDefined()) {
    const YAML::Node list = facility["jobs"];
    const auto nodes = items(doc, list, key_path("jobs"), true);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const std::string p = item_path(key_path("jobs"), list, i);
      AiSpec::JobStream s{sim::config::read_model(doc, nodes[i], p, cat.jobs, ctx), {}, {}};
      if (largest_owned == 0)
        throw ScenarioError(doc.locate(nodes[i]), p + ": jobs need GPUs owned by the facility; add a gpu_clusters entry with owner: self");
      const auto model = s.model.make();
      // A job wider than a node holds whole nodes, so it must fit once rounded up to nodes.
      bool fits = false;
      for (const auto& c : owned) fits = fits || c.allocation(model->max_gpus()) <= c.count;
      if (!fits)
        throw ScenarioError(doc.locate(nodes[i]), p + ": a job asks for " + std::to_string(model->max_gpus()) +
                                                      " GPUs, which no owned cluster can hold in whole nodes (largest: " +
                                                      std::to_string(largest_owned) + " GPUs)");
      for (const auto& label : model->labels()) {
        if (label.empty()) {
          s.contract_of_label.push_back(-1);
          continue;
        }
        const auto it = contract_index.find(label);
        if (it == contract_index.end() || is_lease(it->second))
          throw ScenarioError(doc.locate(nodes[i]), p + ": contract '" + label +
                                                        "' is not a declared gpu_hour_rental or training_deal; contracts: " +
                                                        (contract_names.empty() ? "(none declared)" : join(contract_names)));
        s.contract_of_label.push_back(it->second);
      }
      // Its random streams are named by the stream: its `name`, else its one contract, else
      // its model. Two streams of one name would share their random numbers.
      const auto labels = model->labels();
      s.name = s.model.params.has("name") ? s.model.params.string("name")
               : labels.size() == 1 && !labels[0].empty() ? labels[0]
                                                          : s.model.name();
      for (const auto& other : spec->jobs)
        if (other.name == s.name)
          throw ScenarioError(doc.locate(nodes[i]), p + ": another job stream is already named '" + s.name +
                                                        "' (its random streams are jobs." + s.name +
                                                        ".*); give each stream a distinct `name`");
      spec->jobs.push_back(std::move(s));
    }
  }

  if (facility["scheduler"].IsDefined()) {
    spec->scheduler = sim::config::read_model(doc, facility["scheduler"], key_path("scheduler"), cat.scheduler, ctx);
  } else if (!spec->jobs.empty()) {
    facility["scheduler"]["model"] = "fifo";  // recorded in the resolved scenario
    spec->scheduler = sim::config::read_model(doc, facility["scheduler"], key_path("scheduler"), cat.scheduler, ctx);
  }

  if (facility["gpu_price"].IsDefined())
    spec->gpu_price = sim::config::read_model(doc, facility["gpu_price"], key_path("gpu_price"), cat.gpu_price, ctx);
  for (const auto& c : spec->contracts)
    if (c.model.name() == "gpu_hour_rental" && !spec->gpu_price)
      c.model.params.fail("name", "a gpu_hour_rental bills spot GPU-hours: add facility.gpu_price (e.g. {model: constant, usd_per_gpu_hour: 2.5})");

  if (facility["ai_shock"].IsDefined()) {
    const auto params = sim::config::read_params(doc, facility["ai_shock"], key_path("ai_shock"), ai_shock_params(), ctx);
    AiShock s;
    s.at_s = params.date_s("at");
    if (s.at_s < 0) params.fail("at", "the shock is dated before the scenario's start");
    s.default_probability = params.number("default_probability");
    s.spot_price_factor = params.number("spot_price_factor");
    s.demand_factor = params.number("demand_factor");
    spec->shock = s;
  }
  return spec;
}

AiParts AiSpec::make_parts() const {
  AiParts parts;
  parts.clusters = clusters;
  parts.scheduler = scheduler ? scheduler->make() : std::make_unique<FifoScheduler>();
  for (const auto& s : jobs) parts.streams.push_back(AiParts::Stream{s.model.make(), s.contract_of_label, s.name});
  for (const auto& c : contracts) parts.contracts.push_back(AiParts::Contract{c.terms, c.model.make()});
  if (gpu_price) parts.gpu_price = gpu_price->make();
  parts.shock = shock;
  return parts;
}

std::unique_ptr<AiPart> make_ai_part(std::shared_ptr<const AiSpec> spec) {
  if (!spec) return nullptr;
  auto part = std::make_unique<AiPart>(spec->make_parts());
  part->set_decision_interval_s(spec->decision_step_s);
  return part;
}

}  // namespace hybridsim::models::ai
