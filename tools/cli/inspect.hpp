#pragma once
#include <ostream>
#include <string>

namespace hybridsim::tools {
/// Prints a result file's root attributes (the scenario YAML abbreviated), its time axis and
/// every variable with its shape, units and long name, group by group. Returns an exit code.
int inspect(std::ostream& out, const std::string& path);
}  // namespace hybridsim::tools
