#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "models/bitcoin/network_model.hpp"

namespace hybridsim::models::bitcoin {

/// The rest of the world's hashrate answering hashprice through its fleet's efficiency
/// (a capitulation model after Prat & Walter's free entry and Noda et al. 2020's elastic hash
/// supply). Two stocks: installed capacity (TH/s) and online hashrate H (TH/s).
///
/// Installed fleet. At the start, a legacy fleet L whose efficiency e (J/TH) has a two-piece
/// lognormal distribution through the given quantiles p10 < p50 < p90:
///   F(e) = Φ(ln(e/p50) / s_lo) for e <= p50, Φ(ln(e/p50) / s_hi) above,
///   s_lo = ln(p50/p10) / z_0.9, s_hi = ln(p90/p50) / z_0.9, z_0.9 = 1.28155.
/// New machines arrive in monthly (30-day) cohorts c_i of efficiency
/// e_i = new_machine_j_per_th · exp(−k·t_i) (k = efficiency_improvement_per_year), each
/// lognormal with log-sd s_new = new_machine_spread around e_i.
///
/// Switching off. A machine of efficiency e pays e·24·10⁻⁶·c·u USD of power per TH/s-day
/// (e J/TH = e W per TH/s; c = power_price_usd_per_mwh, u = pue), so it earns its power while
/// e <= e* = hashprice / (24·10⁻⁶·c·u). The profitable hashrate is
///   T = L·F(e*) + Σ_i c_i·Φ(ln(e*/e_i) / s_new),
/// and online hashrate moves towards it with time constant τ = adjustment_time (exact for a
/// step of constant target):  H(t+Δ) = T + (H(t) − T)·e^{−Δ/τ}.
///
/// New machines. Installed capacity C grows at a rate scaled by trailing profitability:
///   ΔC = C·(exp(g·R̄^ε·Δ) − 1) (with g < 0, every vintage shrinks by exp(g·R̄^ε·Δ) instead),  R̄ ← R̄ + (R − R̄)(1 − e^{−Δ/lag}),  R = hashprice / hashprice_ref,
/// g = growth_per_year, ε = investment_elasticity, lag = investment_lag (orders placed on
/// trailing profitability arrive late), hashprice_ref = reference_hashprice_usd_per_th_day or
/// the first step's hashprice. At the first step L = H / F(e*): the fleet starts in
/// equilibrium, with what is off unprofitable.
///
/// After a halving hashprice halves: e* halves and the least efficient legacy machines leave
/// over τ (the drop); the retarget then lowers difficulty, which raises hashprice, and new
/// efficient machines keep arriving, more slowly while R̄ is low, and push hashrate back up
/// while displacing the marginal legacy machines (the recovery). Draws nothing.
class HashrateResponseNetwork final : public NetworkModel {
 public:
  struct Params {
    std::optional<double> initial_ths;
    double growth_per_year = 0;
    double p10_j_per_th = 17, p50_j_per_th = 25, p90_j_per_th = 35;
    double new_machine_j_per_th = 17.5;
    double new_machine_spread = 0.1;
    double efficiency_improvement_per_year = 0;
    double power_price_usd_per_mwh = 50;
    double pue = 1.1;
    sim::SimTime adjustment_time_s = 14 * sim::kSecondsPerDay;
    sim::SimTime investment_lag_s = 180 * sim::kSecondsPerDay;
    double investment_elasticity = 1;
    std::optional<double> reference_hashprice_usd_per_th_day;
  };
  /// Quantiles 0 < p10 < p50 < p90; pue >= 1; power price >= 0; times > 0; elasticity >= 0.
  explicit HashrateResponseNetwork(const Params& params);
  double initial_ths(double implied_ths) override;
  double next_ths(double hashrate_ths, const NetworkStep& step, sim::Rng& rng) override;

  /// e*: the least efficient machine (J/TH) that still pays its power at this hashprice.
  double breakeven_j_per_th(double hashprice_usd_per_th_day) const;
  /// F(e): the share of the legacy fleet at least as efficient as `e`.
  double legacy_share_at_most(double j_per_th) const;
  /// Efficiency of the machines arriving at `t_s` since the epoch, J/TH.
  double new_machine_j_per_th(sim::SimTime t_s) const;
  /// T: installed hashrate that pays its power at this hashprice, TH/s.
  double profitable_ths(double hashprice_usd_per_th_day) const;
  /// Installed capacity C (TH/s), online or not; 0 before the first step.
  double installed_ths() const;
  /// R̄, the trailing profitability driving new installations.
  double trailing_profitability() const { return trailing_ratio_; }

 private:
  Params p_;
  double s_lo_, s_hi_;
  bool started_ = false;
  struct Cohort {
    std::int64_t month;  // 30-day period of arrival since the epoch
    double j_per_th;
    double ths;
  };
  double legacy_ths_ = 0;
  std::vector<Cohort> cohorts_;
  double reference_hashprice_ = 0;
  double trailing_ratio_ = 1;
};

}  // namespace hybridsim::models::bitcoin
