#include "sim/config/document.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <charconv>
#include <map>
#include <cstdint>
#include <istream>
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

// Scenarios are small trees: the shipped ones nest six levels. Anything far deeper is a
// mistake or an attack, and is refused before a recursive walker meets it.
constexpr int kMaxDepth = 64;
constexpr std::uintmax_t kMaxFileBytes = 10u << 20;  // 10 MiB; the shipped scenarios are ~5 KB

[[noreturn]] void too_deep(const std::string& origin, int line0, int column0) {
  throw ScenarioError(Location{origin, line0 + 1, column0 + 1}, "nesting more than " + std::to_string(kMaxDepth) +
                                                 " levels deep; a scenario nests maps and lists at most " +
                                                 std::to_string(kMaxDepth) + " levels");
}

// Checks the text before yaml-cpp sees it: no NUL bytes (binary data), no tab in the
// indentation, and flow brackets ([ {) nested at most kMaxDepth deep. yaml-cpp's parser
// recurses once per level (it stops itself at 2000); refusing deep flow nesting here keeps
// that recursion short. Quotes and comments are skipped well enough for counting.
void prescan(const std::string& text, const std::string& origin) {
  int line = 0, column = 0, depth = 0;
  bool line_start = true;
  char quote = 0;
  bool comment = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\0')
      throw ScenarioError(Location{origin, line + 1, column + 1},
                          "holds binary data (a NUL byte); expected a YAML text file");
    if (c == '\n') {
      ++line;
      column = 0;
      line_start = true;
      comment = false;
      if (quote == '\'') quote = 0;  // single-quoted scalars may span lines; keep it simple
      continue;
    }
    if (line_start && c == '\t')
      throw ScenarioError(Location{origin, line + 1, column + 1},
                          "a tab in the indentation; YAML indents with spaces only");
    if (c != ' ') line_start = false;
    if (!comment) {
      if (quote) {
        if (c == quote) quote = 0;
        else if (c == '\\' && quote == '"') { ++i; ++column; }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n')) {
        comment = true;
      } else if (c == '[' || c == '{') {
        if (++depth > kMaxDepth) too_deep(origin, line, column);
      } else if ((c == ']' || c == '}') && depth > 0) {
        --depth;
      }
    }
    ++column;
  }
}

// Walks the parser's events (no tree, no recursion, aliases not expanded): rejects duplicate
// keys (yaml-cpp would silently keep the first), keys that are not scalars, nesting deeper
// than kMaxDepth and a second document (yaml-cpp's Load would silently drop it).
class Checker : public YAML::EventHandler {
 public:
  explicit Checker(const std::string& origin) : origin_(origin) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1)
      throw ScenarioError(at_mark(origin_, mark),
                          "a second YAML document (after '---' or '...'); a scenario file holds one document");
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { value(mark, "~", true); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { value(mark, "", false); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string& v) override {
    value(mark, v, true);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    open(mark, false);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    open(mark, true);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    bool map = false;
    bool want_key = true;
    std::map<std::string, YAML::Mark> keys;
  };

  // A node starts: if it sits in a map's key position it must be a scalar.
  void at_node(const YAML::Mark& mark, const std::string* key) {
    if (frames_.empty()) return;
    Frame& f = frames_.back();
    if (!f.map) return;
    if (f.want_key) {
      if (!key)
        throw ScenarioError(at_mark(origin_, mark), "a key must be a plain name, not a map, a list or an alias");
      auto [it, fresh] = f.keys.emplace(*key, mark);
      if (!fresh)
        throw ScenarioError(at_mark(origin_, mark), "duplicate key '" + *key + "' (first given at line " +
                                                        std::to_string(it->second.line + 1) +
                                                        "); give each key once");
    }
    f.want_key = !f.want_key;
  }
  void value(const YAML::Mark& mark, const std::string& v, bool scalar) { at_node(mark, scalar ? &v : nullptr); }
  void open(const YAML::Mark& mark, bool map) {
    at_node(mark, nullptr);
    if (static_cast<int>(frames_.size()) >= kMaxDepth) too_deep(origin_, mark.line, mark.column);
    frames_.push_back(Frame{map, true, {}});
  }
  void close() {
    if (!frames_.empty()) frames_.pop_back();
  }

  const std::string& origin_;
  std::vector<Frame> frames_;
  int documents_ = 0;
};

void check_events(const std::string& text, const std::string& origin) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  Checker checker(origin);
  while (parser.HandleNextDocument(checker)) {
  }
}

// Duplicate keys in a value given on the command line (files are checked on their parser
// events). Each node is visited once, so aliases cannot make the walk explode, and the
// depth is bounded like a file's.
void reject_duplicate_keys(const YAML::Node& node, const std::string& origin, std::vector<YAML::Node>& seen,
                           int depth = 0) {
  for (const auto& n : seen)
    if (n.is(node)) return;
  seen.push_back(node);
  if (depth > 64) throw ScenarioError(Location{origin}, "nesting more than 64 levels deep; a scenario nests maps and "
                                                        "lists at most 64 levels");
  if (node.IsMap()) {
    std::map<std::string, YAML::Mark> keys;
    for (const auto& kv : node) {
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string();
      auto [it, fresh] = keys.emplace(key, kv.first.Mark());
      if (!fresh) throw ScenarioError(Location{origin}, "duplicate key '" + key + "'; give each key once");
      reject_duplicate_keys(kv.second, origin, seen, depth + 1);
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) reject_duplicate_keys(item, origin, seen, depth + 1);
  }
}

void reject_duplicate_keys(const YAML::Node& node, const std::string& origin) {
  std::vector<YAML::Node> seen;
  reject_duplicate_keys(node, origin, seen);
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
  prescan(text, origin);
  YAML::Node root;
  try {
    check_events(text, origin);
    root = YAML::Load(text);
  } catch (const YAML::DeepRecursion& e) {
    too_deep(origin, e.mark.line, e.mark.column);
  } catch (const YAML::Exception& e) {
    throw ScenarioError(at_mark(origin, e.mark), "YAML syntax error: " + e.msg);
  }
  if (!root.IsDefined() || root.IsNull())
    throw ScenarioError(Location{origin, 0, 0},
                        "is empty; a scenario is a YAML map of keys (name, start, horizon_years, ...)");
  if (!root.IsMap())
    throw ScenarioError(Location{origin, 1, 1},
                        "a scenario is a YAML map of keys (name, start, horizon_years, ...); "
                        "this file holds " + describe(root));
  Document doc(root, origin);
  doc.extend(chain);
  return doc;
}

Document Document::load_path(const std::string& path, std::vector<std::string>& chain) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status))
    throw ScenarioError(Location{path, 0, 0}, "no such file; expected a scenario YAML file");
  if (std::filesystem::is_directory(status))
    throw ScenarioError(Location{path, 0, 0}, "is a folder; expected a scenario YAML file");
  if (!std::filesystem::is_regular_file(status))
    throw ScenarioError(Location{path, 0, 0}, "is not a regular file (a device, a pipe or a socket); expected a "
                                              "scenario YAML file");
  const auto bytes = std::filesystem::file_size(path, ec);
  if (!ec && bytes > kMaxFileBytes)
    throw ScenarioError(Location{path, 0, 0}, "is " + std::to_string(bytes >> 20) + " MiB; a scenario file is at most " +
                                                  std::to_string(kMaxFileBytes >> 20) + " MiB of YAML");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(Location{path, 0, 0}, "cannot open the scenario file (permission denied?)");
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) throw ScenarioError(Location{path, 0, 0}, "cannot read the scenario file");
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
