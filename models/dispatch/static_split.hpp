#pragma once
#include "models/dispatch/budget.hpp"
#include "sim/facility/dispatch_policy.hpp"

namespace hybridsim::models::dispatch {

/// `static`: the split fixed at the start. GPU clusters reserve their nameplate power
/// (tenants' contracted capacity first, then owned clusters) whether or not they use it; ASIC cohorts share the rest
/// of the cap, most valuable per MWh (most efficient) first, each running while it earns
/// its power (value ≥ the effective price) within its ramp:
///
///   L_gpu = nameplate,   L_asic,k = min(target_k, C − Σ nameplate_gpu − Σ_{j before k} L_asic,j)
///
/// with target_k the cohort's demand if v_k ≥ p, else its ramp floor. Ignores demand
/// changes: it decides at the decision step and on price and cap changes only.
class StaticSplit final : public sim::DispatchPolicy {
 public:
  void decide(const sim::DispatchInput& in, std::span<double> limit_mw) override;
  bool follows_demand() const override { return false; }

 private:
  Scratch scratch_;
};

}  // namespace hybridsim::models::dispatch
