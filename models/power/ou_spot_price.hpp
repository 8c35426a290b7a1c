#pragma once
#include "sim/facility/power_price_model.hpp"

namespace hybridsim::models::power {

/// A mean-reverting spot price with spikes, a floor and a cap (ERCOT-like real-time energy).
///
/// A latent Ornstein–Uhlenbeck level x, stepped exactly over each step of length Δ (days):
///
///     x_{t+Δ} = μ + (x_t − μ)·e^{−κΔ} + σ·√((1 − e^{−2κΔ}) / (2κ))·Z,   Z ~ N(0, 1),
///
/// with σ = s·√(2κ), so that s is the standard deviation of the stationary law N(μ, s²) and the
/// noise term is s·√(1 − e^{−2κΔ})·Z. Spikes: at the start of a step with no spike in force, one
/// starts with probability 1 − e^{−λΔ} (a Poisson arrival within the step, λ per year); its size
/// J ~ Exponential(mean j) is added to the price for the spike's duration D (the step is cut at
/// the spike's end, then steps of Δ resume from there). The billed price is
///
///     p = min(cap, max(floor, x + J·[spike in force])).
///
/// Only p is clipped: x follows the OU law untouched, so μ and s keep their meaning.
/// Common random numbers: every step draws Z, then U (spike start, U < 1 − e^{−λΔ}), then U′
/// (size, J = −j·ln U′), in that order, whatever the parameters and whether used or not; the
/// first step's Z is drawn and unused (x starts at `initial_usd_per_mwh`, default μ).
///
/// Defaults (ERCOT-like; see docs/models/facility.md for the figures):
///   μ = 40 USD/MWh — assumption between the ERCOT-wide load-weighted real-time average of
///       26.77 (2015) and 28.25 (2017) (Potomac Economics, State of the Market reports) and the
///       North Hub day-ahead 2023 average of 55.90 [2nd];
///   s = 15 USD/MWh — chosen so that P(x < 0) = Φ(−μ/s) ≈ 0.4%, matching the IMM's 0.5% of
///       hours with system-wide negative prices over 2011–2020 (IMM figures via a 2021 fact
///       sheet [2nd]);
///   κ = 2 per day (half-life ln 2/κ ≈ 8 h) — assumption: deviations fade within a day;
///   λ = 8 per year, D = 3 h, j = 1000 USD/MWh — assumption: 2017 had 3.5 h above 1000
///       (State of the Market 2017), summer 2023 several afternoons of multi-hour
///       four-digit prices (6.5 h on 2023-08-17, S&P Global [2nd]);
///   cap = 5000 USD/MWh — ERCOT's system-wide offer cap (ERCOT Nodal Protocols §4.4.11; PUCT rule 16 TAC §25.505, from 2022);
///   floor = −20 USD/MWh — assumption: ERCOT allows offers down to −250, but system-wide
///       negative prices are shallow (−8.52 in an IMM example of 2015, RTO Insider).
class OuSpotPrice final : public sim::PowerPriceModel {
 public:
  struct Params {
    double mean_usd_per_mwh = 40.0;           ///< μ
    double reversion_per_day = 2.0;           ///< κ, > 0
    double stationary_sd_usd_per_mwh = 15.0;  ///< s, ≥ 0
    double initial_usd_per_mwh = 40.0;        ///< x at time 0
    sim::SimTime step_s = sim::kSecondsPerHour;  ///< Δ, > 0
    double spike_rate_per_year = 8.0;         ///< λ, ≥ 0
    sim::SimTime spike_duration_s = 3 * sim::kSecondsPerHour;  ///< D, > 0
    double spike_mean_usd_per_mwh = 1000.0;   ///< j, ≥ 0
    double floor_usd_per_mwh = -20.0;         ///< < cap
    double cap_usd_per_mwh = 5000.0;
  };

  /// Throws std::invalid_argument (`key: what is wrong; what is accepted`) on bad parameters.
  explicit OuSpotPrice(const Params& params);
  Step step(sim::SimTime now_s, sim::Rng& rng) override;

  /// The latent OU level after the last step (for tests and diagnostics).
  double level_usd_per_mwh() const { return x_; }

 private:
  Params params_;
  double x_;
  bool started_ = false;
  sim::SimTime last_now_s_ = 0;
  sim::SimTime spike_end_s_ = 0;  ///< a spike is in force while now < spike_end_s_
  double spike_size_usd_per_mwh_ = 0.0;
};

}  // namespace hybridsim::models::power
