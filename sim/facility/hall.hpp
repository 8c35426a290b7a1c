#pragma once
/// A hall of the facility: machines stand in it, its cooling sets the PUE, and its
/// electrical fit-out may limit what it can draw.
#include <limits>
#include <string>

namespace hybridsim::sim {

struct HallSpec {
  std::string name;
  double pue = 1.0;  ///< power usage effectiveness: grid power = IT power × PUE
  /// Most grid power the hall may draw, MW (cooling included); infinity: only the cap.
  double limit_mw = std::numeric_limits<double>::infinity();
};

}  // namespace hybridsim::sim
