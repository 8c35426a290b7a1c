#pragma once
/// A scenario file parsed strictly: yaml-cpp's tree plus what yaml-cpp does not check
/// (duplicate keys, the file name in every message, command-line overrides).
#include <map>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/config/errors.hpp"
#include "sim/config/key_path.hpp"
#include "sim/config/params.hpp"

namespace hybridsim::sim::config {

class Document {
 public:
  /// Parses `path`. Throws ScenarioError for an unreadable file, a YAML syntax error or a
  /// duplicate key (yaml-cpp would silently keep the first).
  ///
  /// A top-level `extends: other.yaml` (a path relative to this file) loads that scenario
  /// first and overrides it with this file's keys: maps merge key by key, lists and scalars
  /// are replaced whole (config::merge_under). Values keep the file and line they were
  /// written at; a chain that comes back to a file it already holds is an error. Relative
  /// paths inside the scenario (CSV replays) resolve against the file that is loaded.
  static Document load_file(const std::string& path);
  /// Parses YAML text; `origin` names it in messages (and `extends:` resolves next to it).
  static Document load_string(const std::string& text, const std::string& origin);

  /// Applies `--set KEY=VALUE` (VALUE parsed as YAML; see config::Overrides).
  void set(const std::string& assignment);
  /// Applies `--unset KEY`.
  void unset(const std::string& key);

  /// Replaces the value at `key` with `value`, whole; missing map keys on the way are
  /// created. Errors and the values written are reported as `origin`'s. Throws
  /// ScenarioError when the path runs through a value, past the end of a list, to a list
  /// item that has no such name, or addresses a list item by a map key.
  void set(const KeyPath& key, const YAML::Node& value, const std::string& origin);
  /// Deletes the map key or list item at `key`; it must exist.
  void unset(const KeyPath& key, const std::string& origin);

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

  /// Records a warning about valid input (a value the loader estimated): `where: warning: message`.
  void warn(const Location& where, const std::string& message) const {
    warnings_.push_back(where.to_string() + ": warning: " + message);
  }
  /// The warnings recorded while loading, in order.
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  Document(YAML::Node root, std::string origin);
  static Document load(const std::string& text, const std::string& origin, std::vector<std::string>& chain);
  static Document load_path(const std::string& path, std::vector<std::string>& chain);
  // Resolves a top-level `extends:` of this document.
  void extend(std::vector<std::string>& chain);
  // The file a node was read from (nodes merged in from an extended file name theirs).
  const std::string& file_of(const YAML::Node& node) const;
  std::string origin_;
  YAML::Node root_;
  // Walks `key` to the container of its last segment (creating missing maps when `create`).
  YAML::Node parent_of(const KeyPath& key, const std::string& origin, bool create);
  // Records every node of `tree` (keys included) as written by `origin`.
  void record(const YAML::Node& tree, const std::string& origin);
  // Records the key node `key` of `map` as written by `origin`.
  void record_key(const YAML::Node& map, const std::string& key, const std::string& origin);
  // Values written by an override have no mark in the file; they are found again by node
  // identity, the latest writer first.
  std::vector<std::pair<YAML::Node, std::string>> overrides_;
  // Nodes merged in from extended files, with the file each was read from.
  std::vector<std::pair<YAML::Node, std::string>> sources_;
  mutable std::map<std::string, ParamSpec> declared_;
  mutable std::vector<std::string> warnings_;
};

/// A short rendering of a node for messages: the scalar, or "a map"/"a list".
std::string describe(const YAML::Node& node);

}  // namespace hybridsim::sim::config
