#include "sim/config/params.hpp"

#include <charconv>
#include <cmath>
#include <set>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "sim/config/document.hpp"
#include "sim/config/near_names.hpp"

namespace hybridsim::sim::config {
namespace {

std::string format_number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

// Finite numbers only: an infinite rate or duration has no meaning in a run and would hang
// or overflow it, so `.inf`, `inf` and `nan` are rejected like any other non-number.
std::optional<double> to_number(const std::string& s) {
  double v = 0;
  const char* b = s.data();
  const char* e = s.data() + s.size();
  if (b != e && *b == '+') ++b;
  auto [end, ec] = std::from_chars(b, e, v);
  if (ec != std::errc{} || end != e || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<std::int64_t> to_integer(const std::string& s) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<std::uint64_t> to_unsigned(const std::string& s) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::vector<std::string> split_dots(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto dot = s.find('.', start);
    out.push_back(s.substr(start, dot - start));
    if (dot == std::string::npos) return out;
    start = dot + 1;
  }
}

struct Reader {
  const Document& doc;
  const std::string& path;
  const BuildContext& context;

  [[noreturn]] void fail_at(const YAML::Node& node, const std::string& msg) const {
    throw ScenarioError(doc.locate(node), msg);
  }

  std::string key_path(const std::string& name) const {
    return path.empty() ? name : path + "." + name;
  }

  double read_number(const YAML::Node& n, const ParamSpec& spec, const std::string& key) const {
    if (!n.IsScalar()) fail_at(n, key + ": expected " + spec.accepted() + ", got " + describe(n));
    const auto v = to_number(n.Scalar());
    if (!v) fail_at(n, key + ": expected " + spec.accepted() + ", got " + describe(n));
    check_range(n, spec, key, *v);
    return *v;
  }

  void check_range(const YAML::Node& n, const ParamSpec& spec, const std::string& key, double v) const {
    const bool low = spec.min && (spec.min_exclusive ? v <= *spec.min : v < *spec.min);
    const bool high = spec.max && v > *spec.max;
    if (low || high)
      fail_at(n, key + ": " + format_number(v) + " is out of range; expected " + spec.accepted());
  }

  Params::Value read(const YAML::Node& n, const ParamSpec& spec, const std::string& key) const {
    const auto bad = [&]() -> Params::Value {
      fail_at(n, key + ": expected " + spec.accepted() + ", got " + describe(n));
    };
    switch (spec.type) {
      case ParamType::kNumber:
        return read_number(n, spec, key);
      case ParamType::kInteger: {
        if (!n.IsScalar()) return bad();
        const auto v = to_integer(n.Scalar());
        if (!v) return bad();
        check_range(n, spec, key, static_cast<double>(*v));
        return *v;
      }
      case ParamType::kUnsigned: {
        if (!n.IsScalar()) return bad();
        const auto v = to_unsigned(n.Scalar());
        if (!v) return bad();
        return *v;
      }
      case ParamType::kBool:
        if (!n.IsScalar() || (n.Scalar() != "true" && n.Scalar() != "false")) return bad();
        return n.Scalar() == "true";
      case ParamType::kString: {
        if (!n.IsScalar()) return bad();
        const std::string& s = n.Scalar();
        if (!spec.choices.empty()) {
          bool ok = false;
          for (const auto& c : spec.choices) ok = ok || c == s;
          if (!ok) fail_at(n, key + ": '" + s + "' is not accepted; expected one of: " + join(spec.choices));
        }
        return s;
      }
      case ParamType::kDuration: {
        if (!n.IsScalar()) return bad();
        const auto d = parse_duration(n.Scalar());
        if (!d) return bad();
        check_range(n, spec, key, static_cast<double>(*d));
        return static_cast<std::int64_t>(*d);
      }
      case ParamType::kDate: {
        if (!n.IsScalar()) return bad();
        const auto t = parse_utc(n.Scalar());
        if (!t) return bad();
        return static_cast<std::int64_t>(*t);  // made epoch-relative by the caller
      }
      case ParamType::kNumberList: {
        if (!n.IsSequence() || n.size() == 0) return bad();
        std::vector<double> out;
        for (std::size_t i = 0; i < n.size(); ++i)
          out.push_back(read_number(n[i], spec, key + "[" + std::to_string(i) + "]"));
        return out;
      }
      case ParamType::kNested:
        if (!spec.nested_reader) throw std::logic_error("nested parameter '" + spec.name + "' declared without a reader");
        return spec.nested_reader(doc, n, key, context);
      case ParamType::kStringList: {
        if (!n.IsSequence() || n.size() == 0) return bad();
        std::vector<std::string> out;
        for (std::size_t i = 0; i < n.size(); ++i) {
          if (!n[i].IsScalar()) fail_at(n[i], key + "[" + std::to_string(i) + "]: expected a string, got " + describe(n[i]));
          out.push_back(n[i].Scalar());
        }
        return out;
      }
    }
    return bad();
  }

  // Rejects keys of `map` (at nested `prefix` within the spec names) that no spec declares.
  void check_keys(const YAML::Node& map, const std::string& prefix, const std::vector<ParamSpec>& specs,
                  const std::vector<std::string>& extra) const {
    std::vector<std::string> accepted;
    std::set<std::string> nested;
    for (const auto& e : extra) accepted.push_back(e);
    for (const auto& s : specs) {
      if (s.name.compare(0, prefix.size(), prefix) != 0) continue;
      const std::string rest = s.name.substr(prefix.size());
      const auto dot = rest.find('.');
      const std::string head = rest.substr(0, dot);
      if (dot != std::string::npos) nested.insert(head);
      bool seen = false;
      for (const auto& a : accepted) seen = seen || a == head;
      if (!seen) accepted.push_back(head);
    }
    for (const auto& kv : map) {
      const std::string key = kv.first.Scalar();
      bool ok = false;
      for (const auto& a : accepted) ok = ok || a == key;
      std::string where = path;
      if (!prefix.empty()) where += (where.empty() ? "" : ".") + prefix.substr(0, prefix.size() - 1);
      if (!ok)
        fail_at(kv.first, "unknown key '" + key + "' " + (where.empty() ? "at the top level" : "in '" + where + "'") +
                              did_you_mean(key, accepted) + "; accepted keys: " + join(accepted));
      if (nested.count(key)) {
        if (!kv.second.IsMap())
          fail_at(kv.second, key_path(prefix + key) + ": expected a map, got " + describe(kv.second));
        check_keys(kv.second, prefix + key + ".", specs, {});
      }
    }
  }
};

}  // namespace

std::string_view type_name(ParamType type) {
  switch (type) {
    case ParamType::kNumber: return "number";
    case ParamType::kInteger: return "integer";
    case ParamType::kUnsigned: return "integer in [0, 18446744073709551615]";
    case ParamType::kBool: return "true|false";
    case ParamType::kString: return "string";
    case ParamType::kDuration: return "duration (e.g. 30s, 15m, 1h, 1d, 2w)";
    case ParamType::kDate: return "UTC date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)";
    case ParamType::kNumberList: return "list of numbers";
    case ParamType::kStringList: return "list of strings";
    case ParamType::kNested: return "map";
  }
  return "?";
}

#define HYBRIDSIM_SPEC(fn, type_enum)                                                    \
  ParamSpec ParamSpec::fn(std::string name, std::string unit, std::string description) { \
    ParamSpec s;                                                                         \
    s.name = std::move(name);                                                            \
    s.type = type_enum;                                                                  \
    s.unit = std::move(unit);                                                            \
    s.description = std::move(description);                                              \
    return s;                                                                            \
  }
HYBRIDSIM_SPEC(number, ParamType::kNumber)
HYBRIDSIM_SPEC(integer, ParamType::kInteger)
HYBRIDSIM_SPEC(numbers, ParamType::kNumberList)
#undef HYBRIDSIM_SPEC

namespace {
ParamSpec unitless(std::string name, ParamType type, std::string unit, std::string description) {
  ParamSpec s;
  s.name = std::move(name);
  s.type = type;
  s.unit = std::move(unit);
  s.description = std::move(description);
  return s;
}
}  // namespace

ParamSpec ParamSpec::unsigned_integer(std::string name, std::string d) {
  return unitless(std::move(name), ParamType::kUnsigned, "", std::move(d));
}
ParamSpec ParamSpec::boolean(std::string name, std::string d) { return unitless(std::move(name), ParamType::kBool, "", std::move(d)); }
ParamSpec ParamSpec::string(std::string name, std::string d) { return unitless(std::move(name), ParamType::kString, "", std::move(d)); }
ParamSpec ParamSpec::duration(std::string name, std::string d) { return unitless(std::move(name), ParamType::kDuration, "s", std::move(d)); }
ParamSpec ParamSpec::date(std::string name, std::string d) { return unitless(std::move(name), ParamType::kDate, "UTC", std::move(d)); }
ParamSpec ParamSpec::strings(std::string name, std::string d) { return unitless(std::move(name), ParamType::kStringList, "", std::move(d)); }
ParamSpec ParamSpec::nested(std::string name, std::string d, NestedReader reader) {
  ParamSpec s = unitless(std::move(name), ParamType::kNested, "", std::move(d));
  s.nested_reader = std::move(reader);
  return s;
}

ParamSpec&& ParamSpec::defaults(double v) && {
  // The shortest text that reads back as the same double: 0.1, not 0.10000000000000001.
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  default_yaml = std::string(buf, ec == std::errc{} ? end : buf);
  return std::move(*this);
}
ParamSpec&& ParamSpec::defaults(const char* yaml) && { default_yaml = yaml; return std::move(*this); }
ParamSpec&& ParamSpec::defaults(std::string yaml) && { default_yaml = std::move(yaml); return std::move(*this); }
ParamSpec&& ParamSpec::optional() && { optional_no_default = true; return std::move(*this); }
ParamSpec&& ParamSpec::at_least(double v) && { min = v; min_exclusive = false; return std::move(*this); }
ParamSpec&& ParamSpec::above(double v) && { min = v; min_exclusive = true; return std::move(*this); }
ParamSpec&& ParamSpec::at_most(double v) && { max = v; return std::move(*this); }
ParamSpec&& ParamSpec::one_of(std::vector<std::string> values) && { choices = std::move(values); return std::move(*this); }

std::string ParamSpec::accepted() const {
  std::string out(type_name(type));
  if (!choices.empty()) out = "one of " + join(choices);
  if (min && max && !min_exclusive) {
    out += " in [" + format_number(*min) + ", " + format_number(*max) + "]";
  } else {
    if (min) out += (min_exclusive ? " > " : " >= ") + format_number(*min);
    if (max) out += " <= " + format_number(*max);
  }
  if (!unit.empty() && type != ParamType::kDuration && type != ParamType::kDate) out += " (" + unit + ")";
  return out;
}

const Params::Value& Params::get(std::string_view name) const {
  const auto it = values_.find(name);
  if (it == values_.end())
    throw std::logic_error("model read undeclared or absent parameter '" + std::string(name) + "' of " + path_);
  return it->second;
}

double Params::number(std::string_view n) const { return std::get<double>(get(n)); }
std::int64_t Params::integer(std::string_view n) const { return std::get<std::int64_t>(get(n)); }
std::uint64_t Params::unsigned_integer(std::string_view n) const { return std::get<std::uint64_t>(get(n)); }
bool Params::boolean(std::string_view n) const { return std::get<bool>(get(n)); }
const std::string& Params::string(std::string_view n) const { return std::get<std::string>(get(n)); }
SimTime Params::duration_s(std::string_view n) const { return std::get<std::int64_t>(get(n)); }
SimTime Params::date_s(std::string_view n) const { return std::get<std::int64_t>(get(n)) - context_.epoch_unix_s; }
const std::vector<double>& Params::numbers(std::string_view n) const { return std::get<std::vector<double>>(get(n)); }
const std::vector<std::string>& Params::strings(std::string_view n) const { return std::get<std::vector<std::string>>(get(n)); }
bool Params::has(std::string_view n) const { return values_.count(n) > 0; }

Location Params::where(std::string_view name) const {
  const auto it = where_.find(name);
  return it != where_.end() ? it->second : map_location_;
}

void Params::fail(std::string_view name, const std::string& message) const {
  const auto it = where_.find(name);
  const std::string key = path_.empty() ? std::string(name) : path_ + "." + std::string(name);
  throw ScenarioError(it != where_.end() ? it->second : map_location_, key + ": " + message);
}

Params read_params(const Document& doc, const YAML::Node& map_in, const std::string& path,
                   const std::vector<ParamSpec>& specs, const BuildContext& context,
                   const std::vector<std::string>& extra_keys) {
  Reader r{doc, path, context};
  YAML::Node map = map_in;  // shares the tree: defaults written here land in the document
  if (!map.IsMap()) r.fail_at(map, path + ": expected a map of parameters, got " + describe(map));
  r.check_keys(map, "", specs, extra_keys);

  Params p;
  p.path_ = path;
  p.context_ = context;
  p.map_location_ = doc.locate(map);
  for (const ParamSpec& spec : specs) {
    const std::vector<std::string> parts = split_dots(spec.name);
    YAML::Node node = map;
    bool present = true;
    for (std::size_t i = 0; i < parts.size() && present; ++i) {
      const YAML::Node child = std::as_const(node)[parts[i]];  // const lookup: never creates keys
      if (!child.IsDefined() || (child.IsNull() && i + 1 == parts.size())) {
        present = false;
      } else {
        node.reset(child);
      }
    }
    const std::string key = r.key_path(spec.name);
    if (!present) {
      if (spec.optional_no_default) continue;
      if (!spec.default_yaml)
        throw ScenarioError(p.map_location_, (path.empty() ? "" : path + ": ") + "missing required key '" +
                                                 spec.name + "'" + (path.empty() ? " at the top level" : "") + " (" +
                                                 spec.accepted() + ": " + spec.description + ")");
      // Record the default in the document so the resolved scenario shows it.
      YAML::Node target = map;
      for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        YAML::Node child = target[parts[i]];
        target.reset(child);
      }
      target[parts.back()] = YAML::Load(*spec.default_yaml);
      node.reset(target[parts.back()]);
      p.where_[spec.name] = p.map_location_;
    } else {
      p.where_[spec.name] = doc.locate(node);
    }
    p.values_[spec.name] = r.read(node, spec, key);
    doc.declare(key, spec);
  }
  return p;
}

std::string join(const std::vector<std::string>& names, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += sep;
    out += names[i];
  }
  return out;
}

}  // namespace hybridsim::sim::config
