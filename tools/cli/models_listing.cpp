#include "tools/cli/models_listing.hpp"

#include <sstream>

#include <fmt/format.h>

#include "models/ai/ai_section.hpp"
#include "models/bitcoin/bitcoin_world.hpp"
#include "models/bitcoin/btc_treasury.hpp"
#include "models/bitcoin/mining_fleet.hpp"
#include "models/catalogue.hpp"
#include "sim/config/near_names.hpp"
#include "sim/run/read_demand_response.hpp"
#include "sim/run/scenario.hpp"

namespace hybridsim::tools {
namespace {

using sim::config::join;
using sim::config::ModelInfo;
using sim::config::ParamSpec;

/// One entry of the listing: a scenario section (its own keys) or a model family (a map
/// `{model: NAME, ...}` whose keys depend on the model chosen).
struct Listed {
  std::string key;     ///< YAML path: facility.halls[] (a list's items), world.btc_price
  std::string family;  ///< the family of models it belongs to (bitcoin, ai, ...); "" for the site's own keys
  std::string what;
  std::vector<ParamSpec> params;       ///< a section's keys
  std::string registry;                ///< a model family's name (btc_price), "" for a section
  std::vector<const ModelInfo*> models;  ///< a model family's models
};

// The families a filter may name, and the document that explains each one's models.
const std::vector<std::pair<std::string, std::string>>& families() {
  static const std::vector<std::pair<std::string, std::string>> f{{"bitcoin", "models/bitcoin.md"},
                                                                    {"ai", "models/ai.md"},
                                                                    {"power", "models/facility.md"},
                                                                    {"dispatch", "models/facility.md"},
                                                                    {"finance", "models/finance.md"}};
  return f;
}

std::string doc_of(const Listed& l) {
  for (const auto& [name, doc] : families())
    if (name == l.family) return doc;
  return "models/facility.md";
}

Listed section(std::string key, std::string family, std::string what, const std::vector<ParamSpec>& params) {
  return Listed{std::move(key), std::move(family), std::move(what), params, "", {}};
}

template <typename Registry>
Listed model_family(std::string key, std::string family, const Registry& r) {
  Listed l{std::move(key), std::move(family), r.description(), {}, r.family(), {}};
  for (const auto& e : r.entries()) l.models.push_back(&e.info);
  return l;
}

// Every section and model family, in the order of a scenario file.
std::vector<Listed> listing() {
  const auto& c = models::catalogue();
  namespace btc = models::bitcoin;
  return {
      section("scenario", "", "top level of the file", sim::scenario_params()),
      section("world", "", "the exogenous world", sim::world_params()),
      section("world.bitcoin", "bitcoin", "the chain at the start and the world's steps", btc::bitcoin_chain_params()),
      section("facility", "", "the site", sim::facility_params()),
      section("facility.power_cap_mw[]", "", "the cap as steps over time", sim::cap_step_params()),
      section("facility.halls[]", "", "halls, their cooling overhead and power limit", sim::hall_params()),
      section("facility.halls[].limit_mw[]", "", "a hall's limit as steps over time", sim::hall_limit_step_params()),
      section("facility.demand_response.programs[]", "", "paid to curtail below the baseline during events",
              sim::dr_program_params()),
      section("facility.demand_response.programs[].events[]", "", "scheduled events", sim::dr_event_params()),
      section("facility.demand_response.coincident_peaks", "", "4CP transmission charges and their prediction",
              sim::coincident_peak_params()),
      section("facility.conversions[]", "finance", "megawatts moved from one hall to another (e.g. mining to HPC)",
              sim::conversion_params()),
      section("facility.asic_cohorts[]", "bitcoin", "cohorts of identical ASICs", btc::asic_cohort_params()),
      section("facility.mining", "bitcoin", "how the ASIC fleet is run", btc::mining_params()),
      section("facility.btc_treasury", "bitcoin", "what happens to mined BTC: sold, kept, or sold to cover costs",
              btc::treasury_params()),
      section("facility.gpu_clusters[]", "ai", "GPU clusters, owned or a tenant's", models::ai::gpu_cluster_params()),
      section("facility.ai_shock", "ai", "the AI bubble bursting on a date", models::ai::ai_shock_params()),
      section("finance", "finance", "money outside energy and revenue", sim::finance_params()),
      section("finance.loans[]", "finance", "loans drawn on a date and repaid in level payments", sim::loan_params()),
      model_family("world.btc_price", "bitcoin", c.bitcoin.btc_price),
      model_family("world.network", "bitcoin", c.bitcoin.network),
      model_family("world.fees", "bitcoin", c.bitcoin.fees),
      model_family("world.power_price", "power", c.power.power_price),
      model_family("facility.dispatch", "dispatch", c.dispatch.dispatch),
      model_family("facility.pool", "bitcoin", c.bitcoin.pool),
      model_family("facility.jobs", "ai", c.ai.jobs),
      model_family("facility.scheduler", "ai", c.ai.scheduler),
      model_family("facility.contracts[]", "ai", c.ai.contracts),
      model_family("facility.gpu_price", "ai", c.ai.gpu_price),
  };
}

// facility.halls[].limit_mw[] → facility.halls.limit_mw
std::string without_brackets(std::string key) {
  for (auto at = key.find("[]"); at != std::string::npos; at = key.find("[]")) key.erase(at, 2);
  return key;
}

std::string last_part(const std::string& key) {
  const std::string k = without_brackets(key);
  const auto dot = k.rfind('.');
  return dot == std::string::npos ? k : k.substr(dot + 1);
}

bool matches(const Listed& l, const std::string& filter) {
  if (filter.empty()) return true;
  const std::string key = without_brackets(l.key), f = without_brackets(filter);
  return filter == l.family || filter == l.registry || filter == l.key || f == key || f == last_part(l.key) ||
         key.starts_with(f + ".");
}

// --- plain text (the terminal) ---

void print_params_text(std::ostream& out, const std::vector<ParamSpec>& params) {
  for (const auto& p : params) {
    std::string def = p.default_yaml ? "default " + *p.default_yaml : (p.optional_no_default ? "optional" : "required");
    out << fmt::format("      {:<26} {:<44} {:<16} {}\n", p.name, p.accepted(), def, p.description);
  }
}

void print_text(std::ostream& out, const Listed& l) {
  if (l.registry.empty()) {
    out << fmt::format("  {} — {}\n", l.key, l.what);
    print_params_text(out, l.params);
    return;
  }
  out << fmt::format("\n{} ({}: {{model: NAME, ...}}) — {}\n", l.registry, l.key, l.what);
  for (const auto* m : l.models) {
    out << fmt::format("  {} — {}\n", m->name, m->description);
    print_params_text(out, m->params);
  }
}

// --- Markdown (docs/scenario_reference.md) ---

std::string cell(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += '\\';
    if (c == '\n') c = ' ';
    out += c;
  }
  return out;
}

void print_params_markdown(std::ostream& out, const std::vector<ParamSpec>& params) {
  if (params.empty()) {
    out << "No keys of its own.\n\n";
    return;
  }
  out << "| key | accepted (unit) | default | description |\n|---|---|---|---|\n";
  for (const auto& p : params) {
    const std::string def =
        p.default_yaml ? "`" + *p.default_yaml + "`" : (p.optional_no_default ? "optional" : "**required**");
    out << fmt::format("| `{}` | {} | {} | {} |\n", p.name, cell(p.accepted()), cell(def), cell(p.description));
  }
  out << "\n";
}

void print_markdown(std::ostream& out, const Listed& l) {
  const std::string family = l.family.empty() ? "the site" : "family `" + l.family + "`";
  if (l.registry.empty()) {
    out << fmt::format("### `{}`\n\n{} ({}; [{}]({})).\n\n", l.key, l.what, family, doc_of(l), doc_of(l));
    print_params_markdown(out, l.params);
    return;
  }
  std::vector<std::string> names;
  for (const auto* m : l.models) names.push_back("`" + m->name + "`");
  out << fmt::format("### `{}` — `{{model: NAME, ...}}`\n\n{}. Models: {} ({}, model family `{}`; [{}]({})).\n\n",
                     l.key, l.what, join(names), family, l.registry, doc_of(l), doc_of(l));
  for (const auto* m : l.models) {
    out << fmt::format("#### `{}: {{model: {}}}`\n\n{}\n\n", l.key, m->name, m->description);
    print_params_markdown(out, m->params);
  }
}

void print_markdown_head(std::ostream& out, const std::vector<Listed>& all) {
  out << "# Scenario reference\n\n"
         "<!-- Generated by `hybridsim models --markdown`; do not edit by hand. Regenerate with\n"
         "     build/bin/hybridsim models --markdown > docs/scenario_reference.md\n"
         "     (the test `scenario reference is current` fails while this file differs). -->\n\n"
         "Every key a scenario file accepts, from the same declarations the loader validates against\n"
         "(`hybridsim models [NAME]` prints them in the terminal). A key is **required**, has a\n"
         "default (written into the resolved scenario stored in each result file), or is optional\n"
         "without a default. A section written `key[]` is a list whose items are maps of those keys;\n"
         "a model family is a map `{model: NAME, ...}` whose other keys are the chosen model's.\n"
         "Dotted keys (`trigger.signal`) are keys of a nested map. Durations are written `30s`, `15m`,\n"
         "`1h`, `1d`, `2w`; dates `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ` (UTC). Beside these keys a file\n"
         "may start with `extends: other.yaml` (docs/architecture.md) and hold a `sweep:` block\n"
         "(docs/sweeps.md). The equations and sources behind the models are in docs/models/.\n\n"
         "| key | family | what |\n|---|---|---|\n";
  for (const auto& l : all)
    out << fmt::format("| `{}` | {} | {} |\n", l.key, l.family.empty() ? "site" : l.family, cell(l.what));
  out << "\n## Sections\n\n";
}

void add_rows(std::vector<ModelRow>& rows, const Listed& l, const std::string& model, const std::string& what,
              const std::vector<ParamSpec>& params) {
  ModelRow base;
  base.section = l.key, base.family = l.family, base.registry = l.registry, base.model = model;
  base.model_description = what;
  if (params.empty()) rows.push_back(base);
  for (const auto& p : params) {
    ModelRow row = base;
    row.parameter = p.name, row.type = std::string(sim::config::type_name(p.type)), row.units = p.unit;
    row.default_yaml = p.default_yaml.value_or("");
    row.required = !p.default_yaml && !p.optional_no_default;
    row.accepted = p.accepted(), row.description = p.description;
    rows.push_back(std::move(row));
  }
}

}  // namespace

std::vector<ModelRow> model_rows() {
  std::vector<ModelRow> rows;
  for (const auto& l : listing()) {
    if (l.registry.empty()) add_rows(rows, l, "", l.what, l.params);
    for (const auto* m : l.models) add_rows(rows, l, m->name, m->description, m->params);
  }
  return rows;
}

bool print_models(std::ostream& out, std::ostream& err, const std::string& filter, ListingFormat format) {
  const std::vector<Listed> all = listing();
  std::vector<const Listed*> chosen;
  for (const auto& l : all)
    if (matches(l, filter)) chosen.push_back(&l);
  if (chosen.empty()) {
    std::vector<std::string> fams, registries, keys, every;
    for (const auto& [name, doc] : families()) fams.push_back(name);
    for (const auto& l : all) (l.registry.empty() ? keys : registries).push_back(l.registry.empty() ? l.key : l.registry);
    for (const auto* names : {&fams, &registries, &keys}) every.insert(every.end(), names->begin(), names->end());
    for (const auto& l : all) every.push_back(last_part(l.key));
    err << "hybridsim models: no model family or section named '" << filter << "'"
        << sim::config::did_you_mean(filter, every) << "; valid: " << join(fams) << " (families of models); "
        << join(registries) << " (model families); " << join(keys)
        << " (sections; also without [], by their last part, e.g. halls, or a prefix, e.g. facility)\n";
    return false;
  }
  if (format == ListingFormat::kMarkdown) {
    std::ostringstream md;
    if (filter.empty()) print_markdown_head(md, all);
    bool in_families = false;
    for (const auto* l : chosen) {
      if (filter.empty() && !l->registry.empty() && !in_families) {
        md << "## Model families\n\n";
        in_families = true;
      }
      print_markdown(md, *l);
    }
    std::string text = md.str();
    while (text.ends_with("\n\n")) text.pop_back();  // one newline at the end of the file
    out << text;
    return true;
  }
  if (filter.empty()) out << "Scenario sections (YAML keys, their types and units, defaults):\n";
  for (const auto* l : chosen) print_text(out, *l);
  return true;
}

}  // namespace hybridsim::tools
