#include "sim/config/document.hpp"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace hybridsim::sim::config {
namespace {

Location at_mark(const std::string& origin, const YAML::Mark& mark) {
  return Location{origin, mark.line + 1, mark.column + 1};
}

void reject_duplicate_keys(const YAML::Node& node, const std::string& origin) {
  if (node.IsMap()) {
    std::map<std::string, YAML::Mark> seen;
    for (const auto& kv : node) {
      const std::string key = kv.first.Scalar();
      auto [it, fresh] = seen.emplace(key, kv.first.Mark());
      if (!fresh)
        throw ScenarioError(at_mark(origin, kv.first.Mark()),
                            "duplicate key '" + key + "' (first given at line " +
                                std::to_string(it->second.line + 1) + "); give each key once");
      reject_duplicate_keys(kv.second, origin);
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) reject_duplicate_keys(item, origin);
  }
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string part;
  std::istringstream in(s);
  while (std::getline(in, part, sep)) out.push_back(part);
  return out;
}

}  // namespace

Document::Document(YAML::Node root, std::string origin)
    : origin_(std::move(origin)), root_(std::move(root)) {}

Document Document::load_string(const std::string& text, const std::string& origin) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ScenarioError(at_mark(origin, e.mark), "YAML syntax error: " + e.msg);
  }
  if (!root.IsMap())
    throw ScenarioError(Location{origin, 1, 1},
                        "a scenario is a YAML map of keys (name, start, horizon_years, ...); "
                        "this file holds " + describe(root));
  reject_duplicate_keys(root, origin);
  return Document(root, origin);
}

Document Document::load_file(const std::string& path) {
  if (std::filesystem::is_directory(path))
    throw ScenarioError(Location{path, 0, 0}, "is a folder; expected a scenario YAML file");
  std::ifstream in(path);
  if (!in) throw ScenarioError(Location{path, 0, 0}, "cannot open the scenario file");
  std::stringstream text;
  text << in.rdbuf();
  return load_string(text.str(), path);
}

void Document::set(const std::string& assignment) {
  const std::string option = "--set " + assignment;
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ScenarioError(Location{option}, "expected --set key.path=value");
  const std::vector<std::string> keys = split(assignment.substr(0, eq), '.');
  const std::string value = assignment.substr(eq + 1);
  YAML::Node node = root_;
  std::string walked;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::string& key = keys[i];
    if (key.empty()) throw ScenarioError(Location{option}, "empty key in the path");
    const bool last = i + 1 == keys.size();
    YAML::Node next;
    if (node.IsSequence()) {
      std::size_t index = 0;
      auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), index);
      if (node.size() == 0)
        throw ScenarioError(Location{option}, "'" + walked + "' is an empty list: there is nothing to set in it");
      if (ec != std::errc{} || end != key.data() + key.size() || index >= node.size())
        throw ScenarioError(Location{option}, "'" + walked + "' is a list of " +
                                                  std::to_string(node.size()) +
                                                  " items; expected an index 0.." +
                                                  std::to_string(node.size() - 1) + ", got '" +
                                                  key + "'");
      next = node[index];
    } else if (!node.IsDefined() || node.IsMap() || node.IsNull()) {  // absent keys become maps
      next = node[key];
    } else {
      throw ScenarioError(Location{option}, "'" + walked + "' is a value, not a map: cannot set '" +
                                                key + "' inside it");
    }
    walked += (walked.empty() ? "" : ".") + key;
    if (last) {
      if (next.IsDefined() && (next.IsMap() || next.IsSequence()))
        throw ScenarioError(Location{option},
                            "'" + walked + "' is " + describe(next) + "; --set replaces single values only");
      next = YAML::Load(value);  // parsed so that `[1, 2]` or quoted strings keep YAML meaning
      if (!next.IsScalar() && !next.IsNull())
        throw ScenarioError(Location{option}, "the value must be a single scalar");
      if (next.IsNull()) next = YAML::Node(value);
      overrides_.emplace_back(next, option);
    }
    node.reset(next);
  }
  // Keys the option created have no position in the file: report them as the option's.
  YAML::Node level = root_;
  for (const std::string& key : keys) {
    if (!level.IsMap()) break;
    for (const auto& kv : level)
      if (kv.first.Scalar() == key && kv.first.Mark().is_null()) overrides_.emplace_back(kv.first, option);
    YAML::Node child = level[key];
    level.reset(child);
  }
}

Location Document::locate(const YAML::Node& node) const {
  for (const auto& [n, option] : overrides_)
    if (n.is(node)) return Location{option};
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return Location{origin_};
  return at_mark(origin_, mark);
}

std::string describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsMap()) return "a map";
  if (node.IsSequence()) return "a list";
  return "'" + node.Scalar() + "'";
}

}  // namespace hybridsim::sim::config
