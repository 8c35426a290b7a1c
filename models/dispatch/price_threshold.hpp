#pragma once
#include <optional>

#include "models/dispatch/budget.hpp"
#include "sim/facility/dispatch_policy.hpp"

namespace hybridsim::models::dispatch {

/// `price_threshold`: the operator's curtailment rule. GPU clusters are served first (by
/// value, each curtailed only when worth less than the effective price p); ASIC cohorts run
/// while p is at most their threshold and are curtailed to their ramp floor above it:
///
///   fixed threshold:           run while p ≤ threshold_usd_per_mwh
///   following hashprice:       run while p ≤ k · v_i
///
/// where v_i is the cohort's break-even price — hashprice net of the pool fee × TH/s per MW
/// / 24, the value per MWh it reports — so the curtailment price rises with hashprice. k = 1
/// is the break-even rule; k > 1 keeps mining through short spikes (a miner's margin for
/// restarts), k < 1 curtails before break-even.
class PriceThreshold final : public sim::DispatchPolicy {
 public:
  /// Exactly one of `threshold_usd_per_mwh` and `hashprice_multiple` is set.
  PriceThreshold(std::optional<double> threshold_usd_per_mwh, std::optional<double> hashprice_multiple);
  void decide(const sim::DispatchInput& in, std::span<double> limit_mw) override;

 private:
  Scratch scratch_;
  std::optional<double> threshold_usd_per_mwh_;
  std::optional<double> hashprice_multiple_;
};

}  // namespace hybridsim::models::dispatch
