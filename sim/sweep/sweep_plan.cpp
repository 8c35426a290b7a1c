#include "sim/sweep/sweep_plan.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include <fmt/format.h>

#include "sim/sweep/design.hpp"
#include "sim/sweep/seeds.hpp"
#include "sim/sweep/sobol_sequence.hpp"

namespace hybridsim::sweep {

using sim::config::Document;
using sim::config::Location;
using sim::config::ParamType;
using sim::config::ScenarioError;

namespace {

std::string read_text(const std::string& path) {
  if (std::filesystem::is_directory(path)) throw ScenarioError(Location{path}, "is a folder; expected a YAML file");
  std::ifstream in(path);
  if (!in) throw ScenarioError(Location{path}, "cannot open the file");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

/// The five declared keys nearest to `key` (edit distance), nearest first.
std::vector<std::string> near_names(const std::string& key, const std::vector<std::string>& known) {
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& k : known) scored.emplace_back(edit_distance(key, k), k);
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scored.size() && i < 5; ++i) out.push_back(scored[i].second);
  return out;
}

/// The scalar at dotted `path` in `root`, if there is one.
std::optional<std::string> scalar_at(const YAML::Node& root, const std::string& path) {
  YAML::Node node = root;
  std::stringstream in(path);
  std::string part;
  while (std::getline(in, part, '.')) {
    if (node.IsMap()) {
      const YAML::Node next = std::as_const(node)[part];  // a missing key gives an invalid node: copy, never assign
      if (!next.IsDefined()) return std::nullopt;
      node.reset(next);
    } else if (node.IsSequence()) {
      char* end = nullptr;
      const unsigned long i = std::strtoul(part.c_str(), &end, 10);
      if (part.empty() || *end != '\0' || i >= node.size()) return std::nullopt;
      const YAML::Node next = node[i];
      node.reset(next);
    } else {
      return std::nullopt;
    }
  }
  if (!node.IsScalar()) return std::nullopt;
  return node.Scalar();
}

std::string iso_utc(std::int64_t unix_s) {
  std::string s = sim::format_utc(unix_s);
  s[10] = 'T';
  return s + "Z";
}

/// A value's number for key `k`, or a ScenarioError saying what the key takes.
double value_number(const SweptKey& k, const std::string& text, const Location& where, const std::string& what,
                    const std::string& accepted) {
  const auto fail = [&]() -> double {
    throw ScenarioError(where, what + ": '" + text + "' is not a valid value of " + k.key + ", which takes " +
                                   accepted);
  };
  YAML::Node n;
  try {
    n = YAML::Load(text);
  } catch (const YAML::Exception&) {
    return fail();
  }
  try {
    switch (k.type) {
      case ParamType::kNumber: return n.as<double>();
      case ParamType::kInteger: return static_cast<double>(n.as<std::int64_t>());
      case ParamType::kBool: return n.as<bool>() ? 1.0 : 0.0;
      case ParamType::kDuration: {
        const auto d = sim::parse_duration(n.Scalar());
        return d ? static_cast<double>(*d) : fail();
      }
      case ParamType::kDate: {
        const auto d = sim::parse_utc(n.Scalar());
        return d ? static_cast<double>(*d) : fail();
      }
      default: return std::numeric_limits<double>::quiet_NaN();
    }
  } catch (const YAML::Exception&) {
    return fail();
  }
}

/// The YAML text of number `x` for key `k` (integers, durations and dates rounded).
std::string value_text(const SweptKey& k, double x) {
  switch (k.type) {
    case ParamType::kInteger:
    case ParamType::kDuration: return fmt::format("{}", std::llround(x));
    case ParamType::kDate: return iso_utc(std::llround(x));
    default: return fmt::format("{}", x);
  }
}

/// A key's values, as (text, number) pairs, for the kValues and kSteps kinds; for kRange
/// its two ends. `spec_accepted` is what the key takes (for messages).
struct AxisValues {
  std::vector<std::string> text;
  std::vector<double> number;
  double low = 0, high = 0;  ///< kRange
};

bool rangeable(ParamType t) {
  return t == ParamType::kNumber || t == ParamType::kInteger || t == ParamType::kDuration || t == ParamType::kDate;
}

}  // namespace

std::string dotted_path(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '[') out += '.';
    else if (c != ']') out += c;
  }
  return out;
}

void apply_setting(Document& doc, const std::string& path, const std::string& value_yaml) {
  doc.set(path + "=" + value_yaml);
}

SweepSource read_sweep_source(const std::string& path, const std::optional<std::string>& sweep_path,
                              std::vector<std::string> sets, std::optional<std::uint64_t> seed) {
  Document doc = Document::load_file(path);
  const YAML::Node root = doc.root();
  const YAML::Node base = root["base"];
  const YAML::Node block = root["sweep"];
  std::string scenario_path = path;
  if (base.IsDefined()) {
    for (const auto& kv : root)
      if (kv.first.Scalar() != "base" && kv.first.Scalar() != "sweep")
        throw ScenarioError(doc.locate(kv.first), "a sweep file holds `base:` (the scenario) and `sweep:` only; "
                                                  "unknown key '" + kv.first.Scalar() + "'");
    if (!base.IsScalar())
      throw ScenarioError(doc.locate(base), "base: expected the path of a scenario file, got " +
                                                sim::config::describe(base));
    const std::filesystem::path p = base.Scalar();
    scenario_path = (p.is_absolute() ? p : std::filesystem::path(path).parent_path() / p).lexically_normal().string();
    if (!std::filesystem::is_regular_file(scenario_path))
      throw ScenarioError(doc.locate(base), "base: no scenario file at " + scenario_path);
  }
  std::optional<Document> sweep_doc;
  YAML::Node sweep_block;
  if (sweep_path) {
    if (block.IsDefined())
      throw ScenarioError(doc.locate(block), "the sweep is given twice: here and in --sweep " + *sweep_path +
                                                 "; keep one");
    Document other = Document::load_file(*sweep_path);
    const YAML::Node b = other.root()["sweep"];
    if (!b.IsDefined())
      throw ScenarioError(Location{*sweep_path, 1, 1}, "no `sweep:` block in this file");
    sweep_block = b;
    sweep_doc.emplace(std::move(other));
  } else {
    if (!block.IsDefined())
      throw ScenarioError(Location{path, 1, 1}, "no `sweep:` block; add one to the scenario, give a sweep file "
                                                "{base: SCENARIO, sweep: {...}}, or pass --sweep FILE");
    sweep_block = block;
    sweep_doc.emplace(std::move(doc));
  }
  return SweepSource{read_text(scenario_path), scenario_path, std::move(sets), seed, std::move(*sweep_doc),
                     sweep_block};
}

Document SweepPlan::member_document(const Member& m) const {
  Document doc = Document::load_string(scenario_text_, scenario_origin_);
  doc.root().remove("sweep");
  for (const auto& s : sets_) doc.set(s);
  for (std::size_t k = 0; k < keys_.size(); ++k) apply_setting(doc, keys_[k].key, m.text[k]);
  return doc;
}

sim::Scenario SweepPlan::load_member(const Member& m) const {
  std::string values;
  for (std::size_t k = 0; k < keys_.size(); ++k) values += (k ? ", " : "") + keys_[k].key + "=" + m.text[k];
  const std::string who = fmt::format(" [sweep member {} of {}: {}]", m.index, members_.size(), values);
  try {
    Document doc = member_document(m);
    sim::Scenario s = sim::load_scenario(doc, *plugins_, m.seed);
    if (s.start_unix_s != base_.start_unix_s || s.horizon_s != base_.horizon_s ||
        s.record_every_s != base_.record_every_s)
      throw ScenarioError(spec_.where, "the member's start, horizon_years or record_every differs from the base "
                                       "scenario's; every member shares the file's time axis, so sweep other keys");
    return s;
  } catch (const ScenarioError& e) {
    throw ScenarioError(e.where(), e.message() + who);
  }
}

SweepPlan SweepPlan::make(const SweepSource& source, const sim::Plugins& plugins, bool force) {
  SweepPlan plan;
  plan.plugins_ = &plugins;
  plan.scenario_text_ = source.scenario_text;
  plan.scenario_origin_ = source.scenario_origin;
  plan.sets_ = source.sets;
  plan.spec_ = read_sweep_spec(source.sweep_doc, source.sweep_block);
  const SweepSpec& spec = plan.spec_;

  Document base_doc = Document::load_string(plan.scenario_text_, plan.scenario_origin_);
  base_doc.root().remove("sweep");
  for (const auto& s : plan.sets_) base_doc.set(s);
  plan.base_ = sim::load_scenario(base_doc, plugins, source.seed);
  const std::uint64_t base_seed = plan.base_.seed;

  // Every key the base declares, in the dotted spelling.
  std::map<std::string, sim::config::ParamSpec> declared;
  std::vector<std::string> known;
  for (const auto& [k, s] : base_doc.declared()) {
    declared.emplace(dotted_path(k), s);
    known.push_back(k);
  }
  const int d = static_cast<int>(spec.axes.size());
  std::vector<AxisValues> axes(spec.axes.size());
  for (const auto& a : spec.axes) {
    SweptKey k;
    k.key = a.key;
    k.path = dotted_path(a.key);
    const std::string what = "sweep.params." + a.key;
    for (const auto& other : plan.keys_)
      if (other.path == k.path) throw ScenarioError(a.where, what + ": the key is swept twice");
    std::string accepted;
    if (k.path == "seed" || k.path == "start" || k.path == "horizon_years" || k.path == "record_every")
      throw ScenarioError(a.where, what + ": not sweepable: member seeds come from the base seed and the member's "
                                          "index (use replications), and every member shares one time axis");
    if (const auto it = declared.find(k.path); it != declared.end()) {
      const auto& ps = it->second;
      k.type = ps.type;
      k.unit = ps.unit;
      k.description = ps.description;
      accepted = ps.accepted();
      if (k.type == ParamType::kDuration) k.unit = "s";
      if (k.type == ParamType::kDate) k.unit = "seconds since 1970-01-01 00:00:00";
      if (k.type == ParamType::kNumberList || k.type == ParamType::kStringList || k.type == ParamType::kNested)
        throw ScenarioError(a.where, what + ": the key holds " + std::string(sim::config::type_name(k.type)) +
                                         "; a sweep sets single values (a list item by its index, e.g. " + a.key +
                                         "[0])");
    } else if (const auto v = scalar_at(base_doc.root(), k.path)) {
      k.type = ParamType::kString;  // a model name or another key the loader reads itself
      accepted = "a string (the base has '" + *v + "')";
    } else {
      throw ScenarioError(a.where, what + ": the scenario has no key '" + a.key + "'; near names: " +
                                       sim::config::join(near_names(a.key, known)));
    }
    AxisValues& out = axes[plan.keys_.size()];
    if (a.kind == SweepAxis::Kind::kValues) {
      for (std::size_t i = 0; i < a.values.size(); ++i) {
        const double x = value_number(k, a.values[i], a.value_where, what + "[" + std::to_string(i) + "]", accepted);
        out.text.push_back(a.values[i]);
        out.number.push_back(x);
      }
    } else {
      if (!rangeable(k.type))
        throw ScenarioError(a.value_where, what + ": a range needs a number, integer, duration or date key; " + a.key +
                                               " takes " + accepted + ": give a list of values");
      out.low = value_number(k, a.low, a.value_where, what, accepted);
      out.high = value_number(k, a.high, a.value_where, what, accepted);
      if (!(out.low <= out.high))
        throw ScenarioError(a.value_where, what + ": the range's start is above its end");
      if (a.kind == SweepAxis::Kind::kSteps) {
        for (std::int64_t i = 0; i < a.steps; ++i) {
          const double x = a.steps == 1 ? out.low
                                        : out.low + (out.high - out.low) * static_cast<double>(i) /
                                                        static_cast<double>(a.steps - 1);
          out.text.push_back(value_text(k, x));
          out.number.push_back(value_number(k, out.text.back(), a.value_where, what, accepted));
        }
      }
    }
    plan.keys_.push_back(std::move(k));
  }

  // Design points: for each, the position of each key (values) or a unit coordinate (ranges).
  std::int64_t points = 0;
  const auto too_many = [&](double count) {
    if (count * static_cast<double>(spec.replications) > static_cast<double>(kMaxMembers) && !force)
      throw ScenarioError(spec.where, fmt::format("the sweep has {:.0f} members, more than the limit of {}; check "
                                                  "steps, samples and replications, or pass --force",
                                                  count * static_cast<double>(spec.replications), kMaxMembers));
  };
  Eigen::MatrixXd unit;  // sampled designs
  SaltelliDesign saltelli;
  const std::uint64_t design_seed = spec.design_seed.value_or(base_seed);
  switch (spec.method) {
    case SweepMethod::kGrid: {
      double count = 1;
      for (const auto& a : axes) count *= static_cast<double>(a.text.size());
      too_many(count);
      points = static_cast<std::int64_t>(count);
      break;
    }
    case SweepMethod::kZip:
      too_many(static_cast<double>(axes.front().text.size()));
      points = static_cast<std::int64_t>(axes.front().text.size());
      break;
    case SweepMethod::kRandom:
      too_many(static_cast<double>(spec.samples));
      unit = random_design(spec.samples, d, design_seed);
      points = spec.samples;
      break;
    case SweepMethod::kLhs:
      too_many(static_cast<double>(spec.samples));
      unit = latin_hypercube(spec.samples, d, design_seed);
      points = spec.samples;
      break;
    case SweepMethod::kSobol:
      if (2 * d > SobolSequence::kMaxDimensions)
        throw ScenarioError(spec.where, fmt::format("sweep: sobol takes at most {} keys (it samples 2d dimensions); "
                                                    "this sweep has {}",
                                                    SobolSequence::kMaxDimensions / 2, d));
      too_many(static_cast<double>(spec.samples) * (d + 2));
      saltelli = saltelli_design(spec.samples, d);
      unit = saltelli.points;
      points = unit.rows();
      break;
  }

  plan.members_.reserve(static_cast<std::size_t>(points * spec.replications));
  std::vector<std::size_t> position(axes.size());
  for (std::int64_t p = 0; p < points; ++p) {
    Member m;
    m.point = p;
    if (spec.method == SweepMethod::kGrid) {
      std::int64_t rest = p;
      for (int k = d - 1; k >= 0; --k) {
        const auto n = static_cast<std::int64_t>(axes[k].text.size());
        position[k] = static_cast<std::size_t>(rest % n);
        rest /= n;
      }
    }
    for (int k = 0; k < d; ++k) {
      const AxisValues& ax = axes[k];
      const SweptKey& key = plan.keys_[k];
      if (spec.method == SweepMethod::kGrid || spec.method == SweepMethod::kZip) {
        const std::size_t i = spec.method == SweepMethod::kGrid ? position[k] : static_cast<std::size_t>(p);
        m.text.push_back(ax.text[i]);
        m.number.push_back(ax.number[i]);
      } else if (!ax.text.empty()) {  // a list sampled uniformly
        const auto n = ax.text.size();
        const auto i = std::min(n - 1, static_cast<std::size_t>(unit(p, k) * static_cast<double>(n)));
        m.text.push_back(ax.text[i]);
        m.number.push_back(ax.number[i]);
      } else {
        double x = ax.low + unit(p, k) * (ax.high - ax.low);
        if (key.type == ParamType::kInteger)  // every integer of [low, high] equally likely
          x = std::min(ax.high, std::floor(ax.low + unit(p, k) * (ax.high - ax.low + 1)));
        m.text.push_back(value_text(key, x));
        m.number.push_back(key.type == ParamType::kNumber ? x : static_cast<double>(std::llround(x)));
      }
    }
    if (spec.method == SweepMethod::kSobol) {
      m.sobol_block = saltelli.block[static_cast<std::size_t>(p)];
      m.sobol_sample = saltelli.sample[static_cast<std::size_t>(p)];
    }
    for (std::int64_t r = 0; r < spec.replications; ++r) {
      Member copy = m;
      copy.replication = r;
      copy.index = p * spec.replications + r;
      copy.seed = member_seed(base_seed, static_cast<std::uint64_t>(spec.common_random_numbers ? r : copy.index));
      plan.members_.push_back(std::move(copy));
    }
  }

  // The hash identifies the sweep: the resolved base (defaults, --set and seed included) and the block.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  const auto mix = [&h](const std::string& s) {
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  };
  mix(plan.base_.resolved_yaml);
  mix("\n--- sweep ---\n");
  mix(spec.canonical_yaml);
  plan.hash_ = fmt::format("{:016x}", h);
  return plan;
}

}  // namespace hybridsim::sweep
