#pragma once

#include "models/bitcoin/btc_price_model.hpp"

namespace hybridsim::models::bitcoin {

/// Geometric Brownian motion, stepped exactly (no discretisation error):
///
///   S(t+Δt) = S(t) · exp((μ − σ²/2) Δt + σ √Δt Z),   Z ~ N(0, 1),
///
/// with Δt in Julian years (sim::kSecondsPerYear), μ = drift_per_year, σ = vol_per_year.
/// Log returns over Δt are normal with mean (μ − σ²/2)Δt and variance σ²Δt; E[S(t)] = S(0)e^{μt}.
/// One normal draw per step, even when σ = 0, so sweep members that differ in σ stay
/// on common random numbers.
class GbmPrice final : public BtcPriceModel {
 public:
  /// `initial_usd` > 0, `vol_per_year` >= 0.
  GbmPrice(double initial_usd, double drift_per_year, double vol_per_year);
  double initial_usd() const override { return initial_usd_; }
  double next_usd(double price_usd, const PriceStep& step, sim::Rng& rng) override;

 private:
  double initial_usd_;
  double drift_per_year_;
  double vol_per_year_;
};

}  // namespace hybridsim::models::bitcoin
