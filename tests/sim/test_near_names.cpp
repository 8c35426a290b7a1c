// "Did you mean": the nearest accepted name, only when it is clearly the one meant.
#include <catch2/catch.hpp>

#include "sim/config/near_names.hpp"

using hybridsim::sim::config::did_you_mean;
using hybridsim::sim::config::edit_distance;
using hybridsim::sim::config::nearest_name;

TEST_CASE("edit distance counts insertions, deletions, substitutions and swaps", "[config][near]") {
  CHECK(edit_distance("loan", "loans") == 1);       // one insertion
  CHECK(edit_distance("seeds", "seed") == 1);       // one deletion
  CHECK(edit_distance("gbn", "gbm") == 1);          // one substitution
  CHECK(edit_distance("start_hieght", "start_height") == 1);  // one swap of neighbours
  CHECK(edit_distance("Count", "count") == 0);      // case does not count
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);   // the textbook case
}

TEST_CASE("the nearest name is offered only when it is near and unique", "[config][near]") {
  const std::vector<std::string> finance{"loans", "initial_cash_usd", "fixed_cost_usd_per_year", "terminal_value"};
  CHECK(nearest_name("loan", finance) == "loans");
  CHECK(did_you_mean("loan", finance) == " (did you mean 'loans'?)");
  CHECK(nearest_name("roof", finance) == std::nullopt);  // nothing near
  CHECK(did_you_mean("roof", finance).empty());
  // Short words allow one edit, longer ones two.
  CHECK(nearest_name("lons", {"loans"}) == "loans");
  CHECK(nearest_name("ln", {"loans"}) == std::nullopt);
  CHECK(nearest_name("intial_cash", {"initial_cash"}) == "initial_cash");
  CHECK(nearest_name("inital_csh_us", {"initial_cash_usd"}) == std::nullopt);  // three edits
  // Two names equally near: no guess.
  CHECK(nearest_name("ab", {"abc", "abd"}) == std::nullopt);
}
