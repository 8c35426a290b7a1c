#pragma once
/// A hall of the facility: machines stand in it, its cooling sets the PUE, and its
/// electrical fit-out may limit what it can draw.
#include <limits>
#include <string>
#include <vector>

#include "sim/core/time.hpp"

namespace hybridsim::sim {

/// The hall's fit-out limit from `from_s` (seconds since the epoch) until the next step.
struct HallLimitStep {
  SimTime from_s = 0;
  double mw = 0.0;
};

struct HallSpec {
  std::string name;
  double pue = 1.0;  ///< power usage effectiveness: grid power = IT power × PUE
  /// Most grid power the hall may draw, MW (cooling included); infinity: only the cap.
  double limit_mw = std::numeric_limits<double>::infinity();
  /// The limit as steps over time (electrical fit-out added or taken out), sorted, the first
  /// at or before 0 (limit_mw is the limit in force at 0); empty: limit_mw throughout.
  /// Conversions move the limit on top of the steps: limit(t) = max(0, step(t) + Σ conversions).
  std::vector<HallLimitStep> limit_steps{};
};

}  // namespace hybridsim::sim
