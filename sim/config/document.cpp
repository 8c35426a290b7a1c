#include "sim/config/document.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <charconv>
#include <cstdint>
#include <istream>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

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
  return Document(root, origin);
}

Document Document::load_file(const std::string& path) {
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
