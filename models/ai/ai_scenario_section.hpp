#pragma once
/// The AI family's part of a scenario: `facility.{gpu_clusters, jobs, scheduler, contracts,
/// gpu_price, ai_shock}`, read by read_ai_spec; each run gets one fresh AiPart.
#include "models/ai/ai_section.hpp"
#include "sim/run/section.hpp"

namespace hybridsim::models::ai {

struct AiSectionSpec final : sim::SectionSpec {
  std::shared_ptr<const AiSpec> ai;
  std::vector<std::unique_ptr<sim::FacilityPart>> build() const override;
  double nameplate_mw(sim::LoadKind kind) const override;
  void check_milestones(const std::vector<std::string>& conversions) const override;
};

class AiSection final : public sim::ScenarioSection {
 public:
  const std::vector<std::string>& world_keys() const override;
  const std::vector<std::string>& facility_keys() const override;
  std::shared_ptr<const sim::SectionSpec> read(const sim::config::Document& doc, const YAML::Node& world,
                                               const YAML::Node& facility, const std::vector<sim::HallSpec>& halls,
                                               const sim::config::BuildContext& ctx) const override;
};

}  // namespace hybridsim::models::ai
