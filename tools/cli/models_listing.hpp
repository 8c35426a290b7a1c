#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace hybridsim::tools {
/// Prints every scenario section and registered model with its parameters, units and
/// defaults, from the declarations the loader validates against. `family` filters (empty:
/// all); when it names nothing, says so on `err` and returns false.
bool print_models(std::ostream& out, std::ostream& err, const std::string& family);

/// One parameter of a scenario section or a registered model, as `hybridsim models` lists it.
struct ModelRow {
  std::string section;      ///< where it goes in the YAML: "world.btc_price", "facility.halls[]"
  std::string family;       ///< the model family ("btc_price"), or the section for sections
  std::string model;        ///< the model's name; empty for a section
  std::string model_description;  ///< what the model (or section) is
  std::string parameter;
  std::string type;         ///< config::type_name: number, integer, duration, ...
  std::string units;
  std::string default_yaml;  ///< empty when required or optional without a default
  bool required = false;
  std::string accepted;     ///< the constraint summary, as error messages give it
  std::string description;
};

/// Every section's and every model's parameters, in `hybridsim models` order (the Python
/// package's `hybridsim.models()` table).
std::vector<ModelRow> model_rows();
}  // namespace hybridsim::tools
