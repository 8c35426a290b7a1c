#pragma once
/// How model families plug into a scenario without the kernel knowing them.
///
/// A family (bitcoin, AI, ...) registers one ScenarioSection: the keys it owns in the
/// scenario's `world` and `facility` maps and a reader that validates them into a
/// SectionSpec. A SectionSpec is plain and immutable; each run asks it for fresh
/// FacilityParts. The kernel reads everything else (top level, halls, cap, dispatch, power
/// price, finance) and wires the parts' consumers into the PowerArbiter.
#include <memory>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/config/document.hpp"
#include "sim/config/params.hpp"
#include "sim/config/registry.hpp"
#include "sim/facility/dispatch_policy.hpp"
#include "sim/facility/facility_part.hpp"
#include "sim/facility/hall.hpp"
#include "sim/facility/power_price_model.hpp"

namespace hybridsim::sim {

class SectionSpec {
 public:
  virtual ~SectionSpec() = default;
  /// Fresh parts for one run, in the order they start.
  virtual std::vector<std::unique_ptr<FacilityPart>> build() const = 0;
  /// The most grid power this section's machines of `kind` can draw, MW (PUE included).
  virtual double nameplate_mw(LoadKind kind) const {
    (void)kind;
    return 0.0;
  }
  /// Names of the signals its parts publish (FacilityPart::signal), for conversion triggers.
  virtual std::vector<std::string> signals() const { return {}; }
  /// Checks references to conversions by name (a contract starting on one); throws a
  /// ScenarioError at the referring key if a name is not in `conversions`.
  virtual void check_milestones(const std::vector<std::string>& conversions) const { (void)conversions; }
};

class ScenarioSection {
 public:
  virtual ~ScenarioSection() = default;
  /// Keys of the `world` map this section reads (others may not use them).
  virtual const std::vector<std::string>& world_keys() const = 0;
  /// Keys of the `facility` map this section reads.
  virtual const std::vector<std::string>& facility_keys() const = 0;
  /// Reads and validates its keys (ScenarioError with file:line:col on bad input); nullptr
  /// when the scenario does not use the section.
  virtual std::shared_ptr<const SectionSpec> read(const config::Document& doc, const YAML::Node& world,
                                                  const YAML::Node& facility, const std::vector<HallSpec>& halls,
                                                  const config::BuildContext& ctx) const = 0;
};

/// Everything the kernel needs from the model layer to load a scenario.
struct Plugins {
  const config::Registry<PowerPriceModel>* power_price = nullptr;
  const config::Registry<DispatchPolicy>* dispatch = nullptr;
  std::vector<const ScenarioSection*> sections;
};

}  // namespace hybridsim::sim
