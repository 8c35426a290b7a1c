#include "models/ai/ai_section.hpp"

namespace hybridsim::models::ai {

const std::vector<std::string>& facility_keys() {
  static const std::vector<std::string> keys{"gpu_clusters", "jobs", "scheduler", "contracts", "gpu_price", "ai_shock"};
  return keys;
}

std::shared_ptr<const AiSpec> read_ai_spec(const sim::config::Document&, const YAML::Node&, const std::string&,
                                           const std::map<std::string, double>&, const sim::config::BuildContext&) {
  return nullptr;
}

std::unique_ptr<sim::FacilityPart> make_ai_part(std::shared_ptr<const AiSpec>) { return nullptr; }

}  // namespace hybridsim::models::ai
