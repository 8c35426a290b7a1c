#pragma once
#include "models/dispatch/budget.hpp"
#include "sim/facility/dispatch_policy.hpp"

namespace hybridsim::models::dispatch {

/// `ai_first` and `mining_first`: one kind of load is served first, the other takes the
/// rest. Within each kind consumers go by value per MWh (highest first), each granted its
/// economic target — its demand if worth the effective price p (or not curtailable), else its
/// ramp floor — as far as the cap and its hall allow:
///
///   L_i = min(target_i, C − Σ_{j served before i} L_j, hall room)
class LoadFirst final : public sim::DispatchPolicy {
 public:
  explicit LoadFirst(sim::LoadKind first) : first_(first) {}
  void decide(const sim::DispatchInput& in, std::span<double> limit_mw) override;

 private:
  Scratch scratch_;
  sim::LoadKind first_;
};

}  // namespace hybridsim::models::dispatch
