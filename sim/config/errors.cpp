#include "sim/config/errors.hpp"

namespace hybridsim::sim::config {

std::string Location::to_string() const {
  if (line <= 0) return origin;
  return origin + ":" + std::to_string(line) + ":" + std::to_string(column);
}

ScenarioError::ScenarioError(Location where, const std::string& message)
    : std::runtime_error(where.to_string() + ": " + message),
      where_(std::move(where)),
      message_(message) {}

}  // namespace hybridsim::sim::config
