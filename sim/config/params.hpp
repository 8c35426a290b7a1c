#pragma once
/// Declared, validated parameters of a model or a scenario section.
///
/// Each model declares its parameters once (name, type, unit, meaning, default, bounds);
/// the same declaration validates the YAML, fills in defaults, documents the model in
/// `hybridsim models`, and gives the model typed values. Nothing can drift between them.
#include <any>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/config/errors.hpp"
#include "sim/core/time.hpp"

namespace hybridsim::sim::config {

class Document;

enum class ParamType { kNumber, kInteger, kUnsigned, kBool, kString, kDuration, kDate, kNumberList, kStringList, kNested };

struct BuildContext;

/// Reads a nested map that has declarations of its own (a model chosen by name inside a model,
/// e.g. a PPA's `spot: {model: ou_spot, ...}`) into whatever value the owner needs. It runs
/// while the document is loaded, so the nested map's errors carry their file:line:col.
using NestedReader = std::function<std::any(const Document& doc, const YAML::Node& map, const std::string& path,
                                            const BuildContext& context)>;

/// The YAML spelling of a type, for messages and listings ("number", "duration", ...).
std::string_view type_name(ParamType type);

/// One declared parameter. A dotted name ("spike.rate_per_year") is a key in a nested map.
struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kNumber;
  std::string unit;         ///< "USD/MWh", "1/year", "" when dimensionless
  std::string description;  ///< what it means, in one line
  std::optional<std::string> default_yaml;  ///< none: the key is required
  bool optional_no_default = false;         ///< may be absent, with no default
  std::optional<double> min;                ///< inclusive bounds (numbers, integers, list items)
  std::optional<double> max;
  bool min_exclusive = false;
  std::vector<std::string> choices;  ///< allowed strings, when the set is closed
  NestedReader nested_reader;        ///< kNested only: reads the map at this key

  // Fluent construction keeps declarations one readable line each.
  static ParamSpec number(std::string name, std::string unit, std::string description);
  static ParamSpec integer(std::string name, std::string unit, std::string description);
  /// An integer in [0, 2^64 − 1] (a seed), read without going through a signed or floating type.
  static ParamSpec unsigned_integer(std::string name, std::string description);
  static ParamSpec boolean(std::string name, std::string description);
  static ParamSpec string(std::string name, std::string description);
  static ParamSpec duration(std::string name, std::string description);
  static ParamSpec date(std::string name, std::string description);
  static ParamSpec numbers(std::string name, std::string unit, std::string description);
  static ParamSpec strings(std::string name, std::string description);
  /// A key whose map is read by `reader` (its own keys are checked there, not here).
  static ParamSpec nested(std::string name, std::string description, NestedReader reader);

  ParamSpec&& defaults(double v) &&;
  ParamSpec&& defaults(const char* yaml) &&;
  ParamSpec&& defaults(std::string yaml) &&;
  ParamSpec&& optional() &&;  ///< may be absent without a default (check Params::has)
  ParamSpec&& at_least(double v) &&;
  ParamSpec&& above(double v) &&;  ///< strictly greater than v
  ParamSpec&& at_most(double v) &&;
  ParamSpec&& one_of(std::vector<std::string> values) &&;

  /// "number >= 0, USD/MWh, default 40" — the constraint summary used in messages.
  std::string accepted() const;
};

/// Context every model may need at construction, beyond its own parameters.
struct BuildContext {
  std::int64_t epoch_unix_s = 0;  ///< the scenario's start, UTC
  SimTime horizon_s = 0;          ///< length of the run
  std::string scenario_dir;       ///< relative file paths (CSV replays) resolve here
  /// The dispatch's decision step (longest time between two decisions); parts that value
  /// power over a decision period (a GPU cluster's work at risk) read it.
  SimTime decision_step_s = 3600;
};

/// Validated values of a spec list, read from one YAML map.
class Params {
 public:
  using Value = std::variant<double, std::int64_t, std::uint64_t, bool, std::string, std::vector<double>,
                             std::vector<std::string>, std::any>;

  double number(std::string_view name) const;
  std::int64_t integer(std::string_view name) const;
  std::uint64_t unsigned_integer(std::string_view name) const;
  bool boolean(std::string_view name) const;
  const std::string& string(std::string_view name) const;
  SimTime duration_s(std::string_view name) const;
  /// A date parameter, as seconds since the scenario epoch (may be negative).
  SimTime date_s(std::string_view name) const;
  const std::vector<double>& numbers(std::string_view name) const;
  const std::vector<std::string>& strings(std::string_view name) const;
  /// A nested parameter's value, as its reader returned it.
  template <typename T>
  const T& nested(std::string_view name) const {
    return std::any_cast<const T&>(std::get<std::any>(get(name)));
  }
  bool has(std::string_view name) const;

  /// Throws ScenarioError at the parameter's position (or its map's, when defaulted):
  /// for constraints between parameters that a single spec cannot express.
  [[noreturn]] void fail(std::string_view name, const std::string& message) const;
  /// Where the parameter was written (its map's position when defaulted).
  Location where(std::string_view name) const;

  const BuildContext& context() const { return context_; }
  /// Dotted path of the map these came from, e.g. "world.btc_price".
  const std::string& path() const { return path_; }

 private:
  friend Params read_params(const Document&, const YAML::Node&, const std::string&,
                            const std::vector<ParamSpec>&, const BuildContext&,
                            const std::vector<std::string>&);
  const Value& get(std::string_view name) const;
  std::map<std::string, Value, std::less<>> values_;
  std::map<std::string, Location, std::less<>> where_;
  Location map_location_;
  std::string path_;
  BuildContext context_;
};

/// Reads `map` (at dotted `path`) against `specs`: rejects unknown keys (listing the
/// accepted ones), wrong types and out-of-range values; fills defaults into `map` so the
/// resolved scenario records them. `extra_keys` are accepted and left to the caller
/// (e.g. "model").
Params read_params(const Document& doc, const YAML::Node& map, const std::string& path,
                   const std::vector<ParamSpec>& specs, const BuildContext& context,
                   const std::vector<std::string>& extra_keys = {});

/// Joins names for messages: "a, b, c".
std::string join(const std::vector<std::string>& names, std::string_view sep = ", ");

}  // namespace hybridsim::sim::config
