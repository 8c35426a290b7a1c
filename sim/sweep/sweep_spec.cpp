#include "sim/sweep/sweep_spec.hpp"

#include <string_view>

namespace hybridsim::sweep {

using sim::config::ScenarioError;

namespace {

constexpr const char* kMethods = "grid, zip, random, lhs, sobol";

std::int64_t read_count(const sim::config::Document& doc, const YAML::Node& n, const std::string& key,
                        std::int64_t least) {
  std::int64_t v = 0;
  try {
    v = n.as<std::int64_t>();
  } catch (const YAML::Exception&) {
    throw ScenarioError(doc.locate(n), "sweep." + key + ": expected a whole number, got " + sim::config::describe(n));
  }
  if (v < least)
    throw ScenarioError(doc.locate(n), "sweep." + key + ": must be at least " + std::to_string(least) + ", got " +
                                           std::to_string(v));
  return v;
}

std::string scalar_text(const sim::config::Document& doc, const YAML::Node& n, const std::string& what) {
  if (!n.IsScalar())
    throw ScenarioError(doc.locate(n), what + ": expected a single value, got " + sim::config::describe(n));
  // Keep YAML's meaning: a quoted scalar is re-quoted when it is handed back to the document.
  if (n.Tag() == "!") {
    YAML::Emitter e;
    e << YAML::DoubleQuoted << n.Scalar();
    return e.c_str();
  }
  return n.Scalar();
}

SweepAxis read_axis(const sim::config::Document& doc, const YAML::Node& key, const YAML::Node& value) {
  SweepAxis a;
  a.key = key.Scalar();
  a.where = doc.locate(key);
  a.value_where = doc.locate(value);
  const std::string what = "sweep.params." + a.key;
  if (value.IsSequence()) {
    a.kind = SweepAxis::Kind::kValues;
    for (std::size_t i = 0; i < value.size(); ++i)
      a.values.push_back(scalar_text(doc, value[i], what + "[" + std::to_string(i) + "]"));
    if (a.values.empty())
      throw ScenarioError(a.value_where, what + ": empty list of values; give at least one value");
    return a;
  }
  if (value.IsMap()) {
    const bool steps = value["from"].IsDefined() || value["to"].IsDefined() || value["steps"].IsDefined();
    const bool range = value["min"].IsDefined() || value["max"].IsDefined();
    for (const auto& kv : value) {
      const std::string k = kv.first.Scalar();
      if (k != "from" && k != "to" && k != "steps" && k != "min" && k != "max")
        throw ScenarioError(doc.locate(kv.first), what + ": unknown key '" + k +
                                                      "'; accepted: from, to, steps (evenly spaced values) or "
                                                      "min, max (a range)");
    }
    if (steps == range)
      throw ScenarioError(a.value_where, what + ": give either {from, to, steps} or {min, max}");
    const auto need = [&](const char* k) {
      const YAML::Node n = value[k];
      if (!n.IsDefined()) throw ScenarioError(a.value_where, what + ": missing '" + std::string(k) + "'");
      return n;
    };
    if (steps) {
      a.kind = SweepAxis::Kind::kSteps;
      a.low = scalar_text(doc, need("from"), what + ".from");
      a.high = scalar_text(doc, need("to"), what + ".to");
      a.steps = read_count(doc, need("steps"), "params." + a.key + ".steps", 1);
    } else {
      a.kind = SweepAxis::Kind::kRange;
      a.low = scalar_text(doc, need("min"), what + ".min");
      a.high = scalar_text(doc, need("max"), what + ".max");
    }
    return a;
  }
  throw ScenarioError(a.value_where, what + ": expected a list of values, {from, to, steps} or {min, max}; got " +
                                         sim::config::describe(value));
}

}  // namespace

const char* method_name(SweepMethod method) {
  switch (method) {
    case SweepMethod::kGrid: return "grid";
    case SweepMethod::kZip: return "zip";
    case SweepMethod::kRandom: return "random";
    case SweepMethod::kLhs: return "lhs";
    case SweepMethod::kSobol: return "sobol";
  }
  return "?";
}

SweepSpec read_sweep_spec(const sim::config::Document& doc, const YAML::Node& block) {
  SweepSpec s;
  s.where = doc.locate(block);
  if (!block.IsMap())
    throw ScenarioError(s.where, "sweep: expected a map with params (and method, replications, ...), got " +
                                     sim::config::describe(block));
  YAML::Node params;
  for (const auto& kv : block) {
    const std::string k = kv.first.Scalar();
    const YAML::Node& v = kv.second;
    if (k == "method") {
      const std::string m = v.IsScalar() ? v.Scalar() : "";
      if (m == "grid") s.method = SweepMethod::kGrid;
      else if (m == "zip") s.method = SweepMethod::kZip;
      else if (m == "random") s.method = SweepMethod::kRandom;
      else if (m == "lhs") s.method = SweepMethod::kLhs;
      else if (m == "sobol") s.method = SweepMethod::kSobol;
      else
        throw ScenarioError(doc.locate(v), "sweep.method: unknown method " + sim::config::describe(v) +
                                               "; methods: " + kMethods);
    } else if (k == "replications") {
      s.replications = read_count(doc, v, k, 1);
    } else if (k == "samples") {
      s.samples = read_count(doc, v, k, 1);
    } else if (k == "seed") {
      s.design_seed = static_cast<std::uint64_t>(read_count(doc, v, k, 0));
    } else if (k == "common_random_numbers") {
      try {
        s.common_random_numbers = v.as<bool>();
      } catch (const YAML::Exception&) {
        throw ScenarioError(doc.locate(v), "sweep.common_random_numbers: expected true or false, got " +
                                               sim::config::describe(v));
      }
    } else if (k == "params") {
      params = v;
    } else {
      throw ScenarioError(doc.locate(kv.first), "sweep: unknown key '" + k +
                                                    "'; accepted keys: method, replications, samples, seed, "
                                                    "common_random_numbers, params");
    }
  }
  if (!params.IsDefined() || params.IsNull())
    throw ScenarioError(s.where, "sweep: missing 'params' (a map from key paths to the values they take)");
  if (!params.IsMap() || params.size() == 0)
    throw ScenarioError(doc.locate(params), "sweep.params: the grid is empty; give at least one key, e.g. "
                                            "params: {world.btc_price.vol_per_year: [0.4, 0.6]}");
  for (const auto& kv : params) s.axes.push_back(read_axis(doc, kv.first, kv.second));
  const bool sampled = s.method == SweepMethod::kRandom || s.method == SweepMethod::kLhs || s.method == SweepMethod::kSobol;
  if (sampled && s.samples == 0)
    throw ScenarioError(s.where, std::string("sweep: method ") + method_name(s.method) +
                                     " needs 'samples' (the number of design points" +
                                     (s.method == SweepMethod::kSobol ? ", N: the sweep has N·(d+2) of them)" : ")"));
  if (!sampled && s.samples != 0)
    throw ScenarioError(s.where, std::string("sweep: 'samples' applies to random, lhs and sobol, not ") +
                                     method_name(s.method));
  for (const auto& a : s.axes) {
    if (!sampled && a.kind == SweepAxis::Kind::kRange)
      throw ScenarioError(a.value_where, "sweep.params." + a.key + ": a range {min, max} needs method random, lhs "
                                         "or sobol; a " + method_name(s.method) +
                                         " takes a list of values or {from, to, steps}");
    if (sampled && a.kind == SweepAxis::Kind::kSteps)
      throw ScenarioError(a.value_where, "sweep.params." + a.key + ": {from, to, steps} is for grid and zip; " +
                                             method_name(s.method) + " samples a range {min, max} or a list of values");
  }
  if (s.method == SweepMethod::kZip) {
    const auto length = [](const SweepAxis& a) { return a.kind == SweepAxis::Kind::kSteps ? a.steps : static_cast<std::int64_t>(a.values.size()); };
    for (const auto& a : s.axes)
      if (length(a) != length(s.axes.front()))
        throw ScenarioError(a.value_where, "sweep.params." + a.key + ": zip pairs values position by position; it has " +
                                               std::to_string(length(a)) + " values but " + s.axes.front().key +
                                               " has " + std::to_string(length(s.axes.front())));
  }
  YAML::Emitter e;
  e << block;
  s.canonical_yaml = e.c_str();
  return s;
}

}  // namespace hybridsim::sweep
