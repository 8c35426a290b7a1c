#pragma once

#include "models/bitcoin/btc_price_model.hpp"

namespace hybridsim::models::bitcoin {

/// Merton (1976) jump diffusion: GBM plus a compound Poisson process of lognormal jumps,
/// stepped exactly:
///
///   ln S(t+Δt) = ln S(t) + (μ − σ²/2 − c·λκ) Δt + σ √Δt Z + Σ_{i=1..N} Y_i,
///   N ~ Poisson(λΔt),  Y_i ~ N(m, v²),  κ = E[e^Y − 1] = exp(m + v²/2) − 1,
///
/// Δt in Julian years; μ = drift_per_year, σ = vol_per_year, λ = jumps_per_year,
/// m = jump_mean (mean log jump), v = jump_vol (sd of the log jump). With
/// `compensate_drift` (c = 1, the default) the jumps do not change the expected price:
/// E[S(t)] = S(0)·e^{μt}, as in Merton's model; with c = 0 the jumps add to the drift and
/// E[S(t)] = S(0)·e^{(μ+λκ)t}. Log returns over Δt have
///   mean (μ − σ²/2 − c·λκ + λm) Δt,  variance (σ² + λ(m² + v²)) Δt.
/// The sum of N normal jumps is drawn in one go as N·m + √N·v·Z'. Each step draws Z, N and Z',
/// in that order, whatever the parameters.
class MertonPrice final : public BtcPriceModel {
 public:
  struct Params {
    double initial_usd = 0;
    double drift_per_year = 0;
    double vol_per_year = 0;
    double jumps_per_year = 0;
    double jump_mean = 0;
    double jump_vol = 0;
    bool compensate_drift = true;
  };
  /// `initial_usd` > 0; vol, jumps_per_year, jump_vol >= 0.
  explicit MertonPrice(const Params& params);
  double initial_usd() const override { return p_.initial_usd; }
  double next_usd(double price_usd, const PriceStep& step, sim::Rng& rng) override;

  /// κ = exp(m + v²/2) − 1: the mean relative size of a jump.
  double mean_jump_relative() const;
  /// Mean and variance of the log return over `dt_years`, from the formula above.
  double log_return_mean(double dt_years) const;
  double log_return_variance(double dt_years) const;

 private:
  Params p_;
};

}  // namespace hybridsim::models::bitcoin
