#include "sim/config/near_names.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

namespace hybridsim::sim::config {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  // d[i][j]: distance between the first i letters of a and the first j of b, three rows kept.
  std::vector<std::size_t> prev2(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const bool same = lower(a[i - 1]) == lower(b[j - 1]);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::optional<std::string> nearest_name(std::string_view word, const std::vector<std::string>& names) {
  const std::size_t limit = word.size() <= 4 ? 1 : 2;
  std::size_t best = std::numeric_limits<std::size_t>::max();
  std::optional<std::string> found;
  bool tie = false;
  for (const auto& name : names) {
    if (name == word) continue;
    const std::size_t d = edit_distance(word, name);
    if (d < best) {
      best = d;
      found = name;
      tie = false;
    } else if (d == best && name != *found) {
      tie = true;
    }
  }
  if (!found || best > limit || tie) return std::nullopt;
  return found;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& names) {
  const auto name = nearest_name(word, names);
  return name ? " (did you mean '" + *name + "'?)" : "";
}

}  // namespace hybridsim::sim::config
