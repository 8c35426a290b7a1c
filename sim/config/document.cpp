#include "sim/config/document.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "sim/config/merge.hpp"
#include "sim/config/overrides.hpp"

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

std::string where(const std::string& at) { return at.empty() ? "the top level" : "'" + at + "'"; }

std::string list_by_key(const std::string& at, const std::string& key) {
  return "'" + at + "' is a list, not a map: address its items as " + at + "[0] or " + at +
         "[NAME] (by their name), not '." + key + "'";
}

std::string value_not_map(const std::string& at, const std::string& key) {
  return "'" + at + "' is a value, not a map: there is no '" + key + "' inside it";
}

std::string not_a_list(const std::string& at, const YAML::Node& node, const KeySegment& seg) {
  const std::string item = seg.kind == KeySegment::Kind::kIndex ? std::to_string(seg.index) : seg.key;
  return "'" + at + "' is " + (node.IsMap() ? std::string("a map") : describe(node)) + ", not a list: there is no item [" +
         item + "] in it";
}

std::string no_such_key(const std::string& at, const std::string& key, const YAML::Node& map) {
  std::string keys;
  for (const auto& kv : map) keys += (keys.empty() ? "" : ", ") + kv.first.Scalar();
  return "no key '" + key + "' in " + where(at) + "; keys there: " + (keys.empty() ? "none" : keys);
}

// The index of the item of `list` that segment `depth` of `key` picks (by index or by name).
std::size_t find_item(const YAML::Node& list, const KeyPath& key, std::size_t depth, const std::string& origin) {
  const KeySegment& seg = key.segments()[depth];
  const std::string at = key.str(depth);
  const std::size_t n = list.size();
  if (n == 0) throw ScenarioError(Location{origin}, "'" + at + "' is an empty list: it has no items");
  const std::string range = "an index 0.." + std::to_string(n - 1);
  if (seg.kind == KeySegment::Kind::kIndex) {
    if (seg.index >= n)
      throw ScenarioError(Location{origin}, "'" + at + "' is a list of " + std::to_string(n) + " items; expected " +
                                                range + ", got [" + std::to_string(seg.index) + "]");
    return seg.index;
  }
  std::vector<std::string> names;
  for (std::size_t i = 0; i < n; ++i) {
    const YAML::Node item = list[i];
    const YAML::Node name = item.IsMap() ? item["name"] : YAML::Node();
    if (!name.IsDefined() || !name.IsScalar()) continue;
    if (name.Scalar() == seg.key) return i;
    names.push_back(name.Scalar());
  }
  std::string known;
  for (const auto& s : names) known += (known.empty() ? "" : ", ") + s;
  throw ScenarioError(Location{origin}, "'" + at + "' has no item named '" + seg.key + "'; expected " +
                                            (names.empty() ? range : "a name (" + known + ") or " + range));
}

}  // namespace

Document::Document(YAML::Node root, std::string origin)
    : origin_(std::move(origin)), root_(std::move(root)) {}

Document Document::load_string(const std::string& text, const std::string& origin) {
  std::vector<std::string> chain;
  return load(text, origin, chain);
}

Document Document::load_file(const std::string& path) {
  std::vector<std::string> chain;
  return load_path(path, chain);
}

Document Document::load(const std::string& text, const std::string& origin, std::vector<std::string>& chain) {
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
  Document doc(root, origin);
  doc.extend(chain);
  return doc;
}

Document Document::load_path(const std::string& path, std::vector<std::string>& chain) {
  if (std::filesystem::is_directory(path))
    throw ScenarioError(Location{path, 0, 0}, "is a folder; expected a scenario YAML file");
  std::ifstream in(path);
  if (!in) throw ScenarioError(Location{path, 0, 0}, "cannot open the scenario file");
  std::stringstream text;
  text << in.rdbuf();
  return load(text.str(), path, chain);
}

void Document::extend(std::vector<std::string>& chain) {
  const YAML::Node ext = std::as_const(root_)["extends"];
  if (!ext.IsDefined()) return;
  if (!ext.IsScalar() || ext.Scalar().empty())
    throw ScenarioError(locate(ext), "extends: expected the path of a scenario file (relative to this one), got " +
                                         describe(ext));
  namespace fs = std::filesystem;
  const fs::path here(origin_);
  const fs::path base_path = here.parent_path() / ext.Scalar();
  std::error_code ec;
  const std::string me = fs::weakly_canonical(here, ec).string();
  const std::string base_id = fs::weakly_canonical(base_path, ec).string();
  if (chain.empty()) chain.push_back(me);
  for (const auto& seen : chain)
    if (seen == base_id) {
      std::string trail;
      for (const auto& c : chain) trail += fs::path(c).filename().string() + " -> ";
      throw ScenarioError(locate(ext), "extends: '" + ext.Scalar() + "' is already in this chain of scenarios (" + trail +
                                           base_path.filename().string() + "); a scenario may not extend itself");
    }
  if (!fs::is_regular_file(base_path))
    throw ScenarioError(locate(ext), "extends: cannot open '" + base_path.string() +
                                         "'; expected the path of a scenario file, relative to this one");
  chain.push_back(base_id);
  const Document base = load_path(base_path.string(), chain);
  chain.pop_back();
  root_.remove("extends");
  // Every node of the base keeps the file it was written in.
  std::vector<YAML::Node> stack{base.root_};
  while (!stack.empty()) {
    const YAML::Node n = stack.back();
    stack.pop_back();
    sources_.emplace_back(n, base.file_of(n));
    if (n.IsMap()) {
      for (const auto& kv : n) {
        sources_.emplace_back(kv.first, base.file_of(kv.first));
        stack.push_back(kv.second);
      }
    } else if (n.IsSequence()) {
      for (const auto& item : n) stack.push_back(item);
    }
  }
  merge_under(root_, base.root_);
}

const std::string& Document::file_of(const YAML::Node& node) const {
  for (const auto& [n, file] : sources_)
    if (n.is(node)) return file;
  return origin_;
}

void Document::set(const std::string& assignment) {
  Overrides o;
  o.set_option(assignment);
  o.apply(*this);
}

void Document::unset(const std::string& key) {
  Overrides o;
  o.unset(key);
  o.apply(*this);
}

YAML::Node Document::parent_of(const KeyPath& key, const std::string& origin, bool create) {
  const auto& segs = key.segments();
  YAML::Node node = root_;
  for (std::size_t d = 0; d + 1 < segs.size(); ++d) {
    const KeySegment& seg = segs[d];
    const std::string at = key.str(d);
    if (seg.kind != KeySegment::Kind::kKey) {
      if (!node.IsSequence()) throw ScenarioError(Location{origin}, not_a_list(at, node, seg));
      YAML::Node item = node[find_item(node, key, d, origin)];
      node.reset(item);
      continue;
    }
    if (node.IsSequence()) throw ScenarioError(Location{origin}, list_by_key(at, seg.key));
    if (!node.IsMap()) throw ScenarioError(Location{origin}, value_not_map(at, seg.key));
    const YAML::Node existing = std::as_const(node)[seg.key];
    if (!existing.IsDefined() || existing.IsNull()) {
      if (!create) throw ScenarioError(Location{origin}, no_such_key(at, seg.key, node));
      const bool fresh_key = !existing.IsDefined();
      node[seg.key] = YAML::Node(YAML::NodeType::Map);
      if (fresh_key) record_key(node, seg.key, origin);
      record(node[seg.key], origin);
    }
    YAML::Node child = node[seg.key];
    node.reset(child);
  }
  return node;
}

void Document::set(const KeyPath& key, const YAML::Node& value_in, const std::string& origin) {
  // A copy: the caller's node may be applied to other documents, and loading writes defaults.
  const YAML::Node value = YAML::Clone(value_in);
  reject_duplicate_keys(value, origin);
  YAML::Node parent = parent_of(key, origin, true);
  const KeySegment& last = key.segments().back();
  const std::string at = key.str(key.segments().size() - 1);
  if (last.kind == KeySegment::Kind::kKey) {
    if (parent.IsSequence()) throw ScenarioError(Location{origin}, list_by_key(at, last.key));
    if (!parent.IsMap()) throw ScenarioError(Location{origin}, value_not_map(at, last.key));
    const bool fresh_key = !std::as_const(parent)[last.key].IsDefined();
    parent[last.key] = value;
    if (fresh_key) record_key(parent, last.key, origin);
  } else {
    if (!parent.IsSequence()) throw ScenarioError(Location{origin}, not_a_list(at, parent, last));
    parent[find_item(parent, key, key.segments().size() - 1, origin)] = value;
  }
  record(value, origin);
}

void Document::unset(const KeyPath& key, const std::string& origin) {
  YAML::Node parent = parent_of(key, origin, false);
  const KeySegment& last = key.segments().back();
  const std::string at = key.str(key.segments().size() - 1);
  if (last.kind == KeySegment::Kind::kKey) {
    if (parent.IsSequence()) throw ScenarioError(Location{origin}, list_by_key(at, last.key));
    if (!parent.IsMap()) throw ScenarioError(Location{origin}, value_not_map(at, last.key));
    if (!std::as_const(parent)[last.key].IsDefined())
      throw ScenarioError(Location{origin}, no_such_key(at, last.key, parent));
    parent.remove(last.key);
  } else {
    if (!parent.IsSequence()) throw ScenarioError(Location{origin}, not_a_list(at, parent, last));
    parent.remove(find_item(parent, key, key.segments().size() - 1, origin));
  }
}

void Document::record(const YAML::Node& tree, const std::string& origin) {
  overrides_.emplace_back(tree, origin);
  if (tree.IsMap()) {
    for (const auto& kv : tree) {
      overrides_.emplace_back(kv.first, origin);
      record(kv.second, origin);
    }
  } else if (tree.IsSequence()) {
    for (const auto& item : tree) record(item, origin);
  }
}

void Document::record_key(const YAML::Node& map, const std::string& key, const std::string& origin) {
  for (const auto& kv : map)
    if (kv.first.Scalar() == key) overrides_.emplace_back(kv.first, origin);
}

Location Document::locate(const YAML::Node& node) const {
  for (auto it = overrides_.rbegin(); it != overrides_.rend(); ++it)
    if (it->first.is(node)) return Location{it->second};
  const std::string& file = file_of(node);
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return Location{file};
  return at_mark(file, mark);
}

std::string describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsMap()) return "a map";
  if (node.IsSequence()) return "a list";
  return "'" + node.Scalar() + "'";
}

}  // namespace hybridsim::sim::config
