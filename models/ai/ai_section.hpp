#pragma once
/// The AI section of a scenario's `facility` map: GPU clusters, training jobs, the GPU
/// scheduler, AI contracts, the GPU-hour spot price and the AI-bubble shock.
///
/// The scenario loader hands the `facility` map here; the Simulation gets one fresh
/// `AiPart` (a `sim::FacilityPart` whose consumers() are its clusters) per run from `make_ai_part`.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "models/ai/ai_spec.hpp"
#include "sim/config/document.hpp"
#include "sim/config/params.hpp"
#include "sim/facility/facility_part.hpp"

namespace hybridsim::models::ai {

/// Keys of the scenario's `facility` map that the AI section reads: gpu_clusters, jobs,
/// scheduler, contracts, gpu_price, ai_shock.
const std::vector<std::string>& facility_keys();

/// Declared parameters of one `gpu_clusters` entry and of `ai_shock`, for listings.
const std::vector<sim::config::ParamSpec>& gpu_cluster_params();
const std::vector<sim::config::ParamSpec>& ai_shock_params();

/// Reads those keys from the facility map at `path` ("facility"); returns nullptr when none
/// is present. `hall_pue` maps hall names to PUE (an unknown hall → ScenarioError listing
/// the valid names). Every error is a sim::config::ScenarioError
/// `file:line:col: key: what is wrong; what is accepted`.
std::shared_ptr<const AiSpec> read_ai_spec(const sim::config::Document& doc, const YAML::Node& facility,
                                           const std::string& path,
                                           const std::map<std::string, double>& hall_pue,
                                           const sim::config::BuildContext& ctx);

/// A fresh AI part for one run (keeps per-run state); nullptr for a null spec.
std::unique_ptr<AiPart> make_ai_part(std::shared_ptr<const AiSpec> spec);

}  // namespace hybridsim::models::ai
