#include "sim/config/merge.hpp"

#include <string>
#include <utility>

namespace hybridsim::sim::config {

void merge_under(YAML::Node over, const YAML::Node& base) {
  for (const auto& kv : base) {
    const std::string key = kv.first.Scalar();
    const YAML::Node mine = std::as_const(over)[key];
    if (!mine.IsDefined()) {
      over.force_insert(kv.first, kv.second);
    } else if (mine.IsMap() && kv.second.IsMap()) {
      merge_under(over[key], kv.second);
    }
  }
}

}  // namespace hybridsim::sim::config
