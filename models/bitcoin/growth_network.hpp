#pragma once
#include <optional>

#include "models/bitcoin/network_model.hpp"

namespace hybridsim::models::bitcoin {

/// Hashrate of the rest of the world growing at a constant continuous rate:
///
///   H(t+Δt) = H(t) · exp(g Δt),   g = growth_per_year, Δt in Julian years.
///
/// H(0) is `initial_ths` when given, else what the starting difficulty implies
/// (D × 2^32 / 600 / 10^12 TH/s). Deterministic: draws nothing.
class GrowthNetwork final : public NetworkModel {
 public:
  /// `initial_ths` > 0 when given; `growth_per_year` finite.
  GrowthNetwork(std::optional<double> initial_ths, double growth_per_year);
  double initial_ths(double implied_ths) override;
  double next_ths(double hashrate_ths, const NetworkStep& step, sim::Rng& rng) override;

 private:
  std::optional<double> initial_ths_;
  double growth_per_year_;
};

}  // namespace hybridsim::models::bitcoin
