#pragma once
#include <ostream>
#include <string>

namespace hybridsim::tools {
/// Prints every scenario section and registered model with its parameters, units and
/// defaults, from the declarations the loader validates against. `family` filters (empty:
/// all); when it names nothing, says so on `err` and returns false.
bool print_models(std::ostream& out, std::ostream& err, const std::string& family);
}  // namespace hybridsim::tools
