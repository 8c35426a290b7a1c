#pragma once

#include "models/bitcoin/btc_price_model.hpp"

namespace hybridsim::models::bitcoin {

/// GBM whose drift changes for a window after each halving, with an optional log-jump at the
/// halving itself. The halving's time comes from the simulated chain (PriceStep):
///
///   ln S(t+Δt) − ln S(t) = (μ − σ²/2) Δt + Δμ · |[t, t+Δt) ∩ [t_h, t_h + W)| + J · n + σ √Δt Z,
///
/// Δt in Julian years; μ = drift_per_year, σ = vol_per_year, Δμ = halving_drift_change_per_year
/// (added to the drift while the window is open), W = halving_window, t_h = the last halving's
/// time, J = halving_log_jump (ln of the price ratio across the halving: 0.1 ≈ +10.5%), n = the
/// number of halvings first reported in this step (the jump lands in the step that first sees the
/// halving). Log returns have mean (μ − σ²/2)Δt + Δμ·overlap + J·n and variance σ²Δt.
/// With Δμ = J = 0 this is the `gbm` model, draw for draw. The halving effect on price is
/// contested; the sweepable Δμ, W and J let a study span "priced in" (0) to a post-halving rally.
class HalvingResponsePrice final : public BtcPriceModel {
 public:
  struct Params {
    double initial_usd = 0;
    double drift_per_year = 0;
    double vol_per_year = 0;
    double halving_drift_change_per_year = 0;
    sim::SimTime halving_window_s = 0;
    double halving_log_jump = 0;
  };
  /// `initial_usd` > 0, `vol_per_year` >= 0, `halving_window_s` >= 0.
  explicit HalvingResponsePrice(const Params& params);
  double initial_usd() const override { return p_.initial_usd; }
  double next_usd(double price_usd, const PriceStep& step, sim::Rng& rng) override;

  /// The deterministic part of the log return of `step` (everything but σ√Δt Z), given that
  /// `halvings_before` halvings had been seen before it.
  double log_return_mean(const PriceStep& step, std::int64_t halvings_before) const;

 private:
  Params p_;
  std::int64_t halvings_seen_ = 0;
};

}  // namespace hybridsim::models::bitcoin
