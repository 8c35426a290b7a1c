#pragma once
#include <ostream>
#include <string>
#include <vector>

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

/// One parameter of a scenario section or a registered model, as `hybridsim models` lists it.
struct ModelRow {
  std::string section;      ///< where it goes in the YAML: "world.btc_price", "facility.halls[]"
  std::string family;       ///< the family of models (bitcoin, ai, power, dispatch, finance); "" for the site's keys
  std::string registry;     ///< the model family ("btc_price"); empty for a section
  std::string model;        ///< the model's name; empty for a section
  std::string model_description;  ///< what the model (or section) is
  std::string parameter;    ///< empty for a model without parameters (so that it has a row)
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
