#pragma once
/// Exact accrual of amounts (energy, cost, revenue) whose rates are constant between events.
///
/// A Flow holds a rate per second and the running total. The simulation integrates every
/// flow once per step of the clock (total += rate × Δt) after the step's events have set the
/// rates, so totals are exact integrals of piecewise-constant rates — no time step involved.
#include <cmath>
#include <deque>
#include <string>

#include "sim/core/time.hpp"

namespace hybridsim::sim {

struct Flow {
  double rate_per_s = 0.0;  ///< units of the total per second
  double total = 0.0;       ///< integral of the rate since the start, plus lumps
  /// Adds a lump (a block reward, a one-off payment) at the current instant.
  void add(double amount) { total += amount; }
};

class Ledger {
 public:
  /// A new flow; the reference stays valid for the ledger's lifetime.
  Flow& flow() { return flows_.emplace_back(); }
  /// The first flow whose rate or total is NaN or infinite; nullptr when all are finite.
  const Flow* first_non_finite() const {
    for (const Flow& f : flows_)
      if (!std::isfinite(f.rate_per_s) || !std::isfinite(f.total)) return &f;
    return nullptr;
  }
  /// Integrates every rate over `dt_s` seconds.
  void integrate(SimTime dt_s) {
    const double dt = static_cast<double>(dt_s);
    for (Flow& f : flows_) f.total += f.rate_per_s * dt;
  }

 private:
  std::deque<Flow> flows_;  // deque: stable addresses
};

}  // namespace hybridsim::sim
