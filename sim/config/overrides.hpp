#pragma once
/// Changes to a scenario made outside its file: `--set`, `--unset`, a sweep member's keys.
///
/// An Overrides is an ordered list of set and unset operations on canonical key paths
/// (sim/config/key_path.hpp). The CLI builds one from its options; the sweep driver can build
/// one per member from values it already holds, without going through strings:
///
///     config::Overrides o;
///     o.set("world.btc_price.vol_per_year", YAML::Node(0.7), "sweep member 12");
///     o.unset("facility.ai_shock");
///     o.apply(doc);   // throws ScenarioError naming the origin of the bad operation
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/config/key_path.hpp"

namespace hybridsim::sim::config {

class Document;

class Overrides {
 public:
  /// Replaces the value at `key` with `value`, whole (a scalar, a list or a map); missing map
  /// keys on the way are created. `origin` names the writer in messages (default
  /// "--set KEY=VALUE" with the value rendered as YAML).
  void set(const std::string& key, const YAML::Node& value, std::string origin = "");
  /// Deletes the key or list item at `key` (it must exist). `origin` defaults to "--unset KEY".
  void unset(const std::string& key, std::string origin = "");
  /// `KEY=VALUE` as the command line gives it: VALUE is parsed as YAML (so `[8, 64]` is a list
  /// and `{model: csv, path: p.csv}` a map). Throws ScenarioError for a malformed option.
  void set_option(const std::string& assignment);

  /// Applies every operation in order. Throws ScenarioError at the first that cannot apply.
  void apply(Document& doc) const;

  bool empty() const { return ops_.empty(); }

 private:
  struct Op {
    bool remove = false;
    std::string key;
    YAML::Node value;
    std::string origin;
  };
  std::vector<Op> ops_;
};

}  // namespace hybridsim::sim::config
