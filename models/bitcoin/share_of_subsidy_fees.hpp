#pragma once
#include "models/bitcoin/fee_model.hpp"

namespace hybridsim::models::bitcoin {

/// Fees as a fixed share of the block subsidy: F(h) = share × subsidy(h) sat (rounded to a
/// satoshi when drawn). Fees then halve with the subsidy; use `constant` or `stochastic` for
/// fees that don't. Draws nothing.
class ShareOfSubsidyFees final : public FeeModel {
 public:
  /// `share` >= 0.
  explicit ShareOfSubsidyFees(double share);
  double expected_fees_sat(std::int64_t height, std::int64_t subsidy_sat) const override;
  std::int64_t draw_fees_sat(std::int64_t height, std::int64_t subsidy_sat, sim::Rng& rng) override;

 private:
  double share_;
};

}  // namespace hybridsim::models::bitcoin
