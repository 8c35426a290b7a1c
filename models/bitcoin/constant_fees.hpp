#pragma once
#include "models/bitcoin/fee_model.hpp"

namespace hybridsim::models::bitcoin {

/// The same fees in every block: F = btc_per_block × 10^8 sat (rounded to a satoshi when
/// drawn). Draws nothing.
class ConstantFees final : public FeeModel {
 public:
  /// `btc_per_block` >= 0.
  explicit ConstantFees(double btc_per_block);
  double expected_fees_sat(std::int64_t height, std::int64_t subsidy_sat) const override;
  std::int64_t draw_fees_sat(std::int64_t height, std::int64_t subsidy_sat, sim::Rng& rng) override;

 private:
  double fees_sat_;
};

}  // namespace hybridsim::models::bitcoin
