#pragma once
/// Reads `facility.demand_response`: programs and coincident peaks (demand_response.hpp).
#include <optional>

#include <yaml-cpp/yaml.h>

#include "sim/config/document.hpp"
#include "sim/config/params.hpp"
#include "sim/facility/demand_response.hpp"

namespace hybridsim::sim {

const std::vector<config::ParamSpec>& dr_program_params();
const std::vector<config::ParamSpec>& dr_event_params();
const std::vector<config::ParamSpec>& coincident_peak_params();

/// nullopt when the facility has no `demand_response` map. ScenarioError on bad input.
std::optional<DemandResponseSpec> read_demand_response(const config::Document& doc, const YAML::Node& facility,
                                                       const config::BuildContext& ctx);

}  // namespace hybridsim::sim
