#pragma once
#include "models/dispatch/budget.hpp"
#include "sim/facility/dispatch_policy.hpp"

namespace hybridsim::models::dispatch {

/// `marginal_value`: megawatts go to whoever values them most. Consumers that may not be
/// curtailed (tenants under contract, cohorts with shutoff off) come first; then the rest in
/// order of value per MWh v_i (highest first). A consumer worth less than the effective
/// price p is curtailed to its ramp floor; the others get their demand while the cap and
/// their hall allow:
///
///   L_i = min(v_i ≥ p ? demand_i : floor_i, C − Σ_{v_j > v_i} L_j, hall room)
///
/// So after an AI bust the megawatts the GPUs no longer use go to mining at the next
/// decision, and in a price spike every load worth less than the price stops.
class MarginalValue final : public sim::DispatchPolicy {
 public:
  void decide(const sim::DispatchInput& in, std::span<double> limit_mw) override;

 private:
  Scratch scratch_;
};

}  // namespace hybridsim::models::dispatch
