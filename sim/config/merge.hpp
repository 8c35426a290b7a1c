#pragma once
/// How a scenario that `extends:` another overrides it: maps merge key by key, recursively;
/// lists and scalars are replaced whole.
#include <yaml-cpp/yaml.h>

namespace hybridsim::sim::config {

/// Merges `base` under `over`, in place: every key of `base` that `over` lacks is added to
/// `over` (the very key and value nodes of `base`, so their file positions survive); where
/// both hold a map at a key, the two maps merge the same way; anything else in `over` wins.
/// Both must be maps.
void merge_under(YAML::Node over, const YAML::Node& base);

}  // namespace hybridsim::sim::config
