#pragma once
#include <ostream>
#include <string>

namespace hybridsim::tools {
/// Prints every scenario section and registered model with its parameters, units and
/// defaults, from the declarations the loader validates against. `family` filters (empty:
/// all); returns false when it names nothing.
bool print_models(std::ostream& out, const std::string& family);
}  // namespace hybridsim::tools
