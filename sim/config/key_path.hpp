#pragma once
/// The one spelling of a key in a scenario, shared by `--set`, `--unset`, sweep keys and every
/// error message: map keys joined by dots, list items in brackets by index or by name —
/// `facility.gpu_clusters[0].hall`, `facility.gpu_clusters[cloud].hall`.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hybridsim::sim::config {

/// One step of a key path: a map key, or a list item chosen by index or by its `name`.
struct KeySegment {
  enum class Kind { kKey, kIndex, kName };
  Kind kind = Kind::kKey;
  std::string key;          ///< kKey: the map key; kName: the item's name
  std::size_t index = 0;    ///< kIndex only
};

/// A parsed key path.
class KeyPath {
 public:
  /// Parses `text`. An item in brackets is an index when it is all digits, else a name.
  /// Throws std::invalid_argument with a message saying what is wrong (empty path, empty
  /// segment, trailing dot, unclosed bracket, ...); callers turn it into a ScenarioError.
  static KeyPath parse(std::string_view text);

  const std::vector<KeySegment>& segments() const { return segments_; }
  /// The canonical spelling of the first `n` segments (all when n is past the end).
  std::string str(std::size_t n = static_cast<std::size_t>(-1)) const;

 private:
  std::vector<KeySegment> segments_;
};

/// `path[i]`: the key of item `i` of the list at `path`, as every message spells it.
std::string item_key(const std::string& path, std::size_t i);

/// `path.key`, or `key` at the top level.
std::string child_key(const std::string& path, const std::string& key);

}  // namespace hybridsim::sim::config
