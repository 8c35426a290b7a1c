#pragma once

#include "models/bitcoin/btc_price_model.hpp"

namespace hybridsim::models::bitcoin {

/// Two-state Markov regime-switching GBM (in the spirit of Ardia et al. 2019): a hidden
/// regime k ∈ {bull, bear} follows a continuous-time Markov chain with switching rates
/// q_bull→bear = bull_to_bear_per_year and q_bear→bull = bear_to_bull_per_year; within a
/// regime the price is a GBM with that regime's drift μ_k and volatility σ_k.
///
/// Each step simulates the regime path inside the step exactly (exponential holding times,
/// so several switches within a step are possible), giving the time τ_k spent in each
/// regime, and then draws the log return exactly given that path:
///
///   ln S(t+Δt) − ln S(t) = Σ_k (μ_k − σ_k²/2) τ_k + sqrt(Σ_k σ_k² τ_k) · Z,   Σ_k τ_k = Δt.
///
/// The stationary regime probabilities are π_bull = q_bear→bull / (q_bull→bear + q_bear→bull)
/// and π_bear = 1 − π_bull. The start regime is `bull`, `bear` or drawn from π (`stationary`).
/// From the stationary law, log returns over t have mean Σ π_k a_k t (a_k = μ_k − σ_k²/2) and
/// variance Σ π_k σ_k² t + (a_bull − a_bear)² · 2π_bull π_bear (t/q − (1 − e^{−qt})/q²),
/// q = q_bull→bear + q_bear→bull.
class RegimeSwitchingPrice final : public BtcPriceModel {
 public:
  enum class Regime { kBull = 0, kBear = 1 };
  enum class Start { kBull, kBear, kStationary };
  struct Params {
    double initial_usd = 0;
    double bull_drift_per_year = 0;
    double bull_vol_per_year = 0;
    double bear_drift_per_year = 0;
    double bear_vol_per_year = 0;
    double bull_to_bear_per_year = 0;
    double bear_to_bull_per_year = 0;
    Start start = Start::kStationary;
  };
  /// `initial_usd` > 0; vols >= 0; switching rates >= 0 and not both 0 when start is stationary.
  explicit RegimeSwitchingPrice(const Params& params);
  double initial_usd() const override { return p_.initial_usd; }
  double next_usd(double price_usd, const PriceStep& step, sim::Rng& rng) override;

  /// The regime at the end of the last step (before the first step: the start regime, or bull
  /// when it is yet to be drawn from the stationary law).
  Regime regime() const { return regime_; }
  /// π_bull, the long-run share of time in the bull regime.
  double stationary_bull() const;

 private:
  Params p_;
  Regime regime_ = Regime::kBull;
  bool started_ = false;
};

}  // namespace hybridsim::models::bitcoin
