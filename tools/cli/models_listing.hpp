#pragma once
#include <ostream>
#include <string>

namespace hybridsim::tools {

enum class ListingFormat { kText, kMarkdown };

/// Prints every scenario section and registered model with its parameters, units and
/// defaults, from the declarations the loader validates against. `filter` (empty: all) is a
/// family of models (bitcoin, ai, power, dispatch, finance), a section's key
/// (facility.halls[] or facility.halls, or its last part: halls), a model family
/// (btc_price, world.btc_price) or a key prefix (facility: everything under it). When it
/// names nothing, lists the valid names on `err` and returns false.
///
/// kMarkdown is the scenario reference, docs/scenario_reference.md (a test keeps the
/// committed file equal to `hybridsim models --markdown`).
bool print_models(std::ostream& out, std::ostream& err, const std::string& filter,
                  ListingFormat format = ListingFormat::kText);

}  // namespace hybridsim::tools
