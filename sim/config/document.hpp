#pragma once
/// A scenario file parsed strictly: yaml-cpp's tree plus what yaml-cpp does not check
/// (duplicate keys, the file name in every message, command-line overrides).
#include <map>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/config/errors.hpp"
#include "sim/config/params.hpp"

namespace hybridsim::sim::config {

class Document {
 public:
  /// Parses `path`. Throws ScenarioError for an unreadable file, a YAML syntax error or a
  /// duplicate key (yaml-cpp would silently keep the first).
  static Document load_file(const std::string& path);
  /// Parses YAML text; `origin` names it in messages.
  static Document load_string(const std::string& text, const std::string& origin);

  /// Applies `key.path=value` (a scalar; path segments are map keys or sequence indices).
  /// Missing map keys are created. Throws ScenarioError naming the option when the path
  /// runs through a scalar or past the end of a list.
  void set(const std::string& assignment);

  YAML::Node& root() { return root_; }
  const YAML::Node& root() const { return root_; }
  const std::string& origin() const { return origin_; }

  /// Where `node` came from: its file mark, or the `--set` option that wrote it.
  Location locate(const YAML::Node& node) const;

  /// Records that `key_path` (e.g. "facility.asic_cohorts[0].count") was read against
  /// `spec`; read_params calls it for every parameter, so after a scenario is loaded the
  /// document knows every key it declares, its type and unit (sweeps look keys up here).
  void declare(const std::string& key_path, const ParamSpec& spec) const { declared_[key_path] = spec; }
  /// Every key read so far, by its path.
  const std::map<std::string, ParamSpec>& declared() const { return declared_; }

 private:
  Document(YAML::Node root, std::string origin);
  std::string origin_;
  YAML::Node root_;
  // Overridden scalars have no mark; they are found again by node identity.
  std::vector<std::pair<YAML::Node, std::string>> overrides_;
  mutable std::map<std::string, ParamSpec> declared_;
};

/// A short rendering of a node for messages: the scalar, or "a map"/"a list".
std::string describe(const YAML::Node& node);

}  // namespace hybridsim::sim::config
