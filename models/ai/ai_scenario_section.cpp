#include <algorithm>
#include "models/ai/ai_scenario_section.hpp"

namespace hybridsim::models::ai {

std::vector<std::unique_ptr<sim::FacilityPart>> AiSectionSpec::build() const {
  std::vector<std::unique_ptr<sim::FacilityPart>> parts;
  parts.push_back(make_ai_part(ai));
  return parts;
}

double AiSectionSpec::nameplate_mw(sim::LoadKind kind) const {
  return kind == sim::LoadKind::kGpu ? ai->max_grid_power_mw() : 0.0;
}

void AiSectionSpec::check_milestones(const std::vector<std::string>& conversions) const {
  for (const auto& params : ai->cluster_starts_with) {
    const std::string& name = params.string("starts_with");
    if (std::find(conversions.begin(), conversions.end(), name) == conversions.end())
      params.fail("starts_with", "unknown conversion '" + name + "'; conversions: " +
                                     (conversions.empty() ? std::string("none") : sim::config::join(conversions)));
  }
  for (const auto& c : ai->contracts) {
    const std::string& name = c.terms.starts_with;
    if (name.empty()) continue;
    if (std::find(conversions.begin(), conversions.end(), name) == conversions.end())
      c.model.params.fail("starts_with", "unknown conversion '" + name + "'; conversions: " +
                                             (conversions.empty() ? std::string("none") : sim::config::join(conversions)));
  }
}

const std::vector<std::string>& AiSection::world_keys() const {
  static const std::vector<std::string> none;
  return none;
}

const std::vector<std::string>& AiSection::facility_keys() const { return ai::facility_keys(); }

std::shared_ptr<const sim::SectionSpec> AiSection::read(const sim::config::Document& doc, const YAML::Node&,
                                                        const YAML::Node& facility,
                                                        const std::vector<sim::HallSpec>& halls,
                                                        const sim::config::BuildContext& ctx) const {
  std::map<std::string, double> hall_pue;
  for (const auto& h : halls) hall_pue.emplace(h.name, h.pue);
  auto ai = read_ai_spec(doc, facility, "facility", hall_pue, ctx);
  if (!ai) return nullptr;
  auto spec = std::make_shared<AiSectionSpec>();
  spec->ai = std::move(ai);
  return spec;
}

}  // namespace hybridsim::models::ai
