#pragma once
/// "Did you mean ...?" for a misspelt key, model or command: the accepted name nearest to
/// what was written, when one is clearly near.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hybridsim::sim::config {

/// Edit distance counting insertions, deletions, substitutions and swaps of two neighbouring
/// letters as one edit each (the optimal-string-alignment distance), case-insensitive.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The one name of `names` nearest to `word`: at most 1 edit away for words of up to 4 letters,
/// 2 for longer ones (so `loan` finds `loans`, `start_hieght` finds `start_height`). None when
/// nothing is that near, or when two names are equally near (a guess would mislead).
std::optional<std::string> nearest_name(std::string_view word, const std::vector<std::string>& names);

/// " (did you mean 'NAME'?)" for the nearest name, or "" when there is none.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& names);

}  // namespace hybridsim::sim::config
