#pragma once
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "models/bitcoin/network_model.hpp"

namespace hybridsim::models::bitcoin {

/// The world's miners as an industry: a fleet of machine vintages, each of one efficiency
/// (J/TH), run by miners whose power costs are spread; machines run while hashprice net of
/// the pool fee covers their power, new machines arrive on an improving efficiency frontier
/// when buying them pays, after a delivery lag, and old machines retire. Deterministic.
///
/// Power cost. A machine of efficiency e run at power price c (USD/MWh) with overhead u pays
///   k(e, c) = e · c · u · 24·10⁻⁶   USD per TH/s-day.
/// Miners' power prices are lognormal with median c₅₀ and log-sd σ_c (the same for every
/// vintage), so the share of vintage i that pays its power at net hashprice h_net = h·(1 − f) is
///   s_i(h) = Φ( ln(h_net / k(e_i, c₅₀)) / σ_c ).
/// Each vintage keeps its original hashrate m_i and the quantile u_i of power prices still
/// installed (machines scrapped for idleness are the dearest-power ones: u_i only falls), so
/// installed C_i = m_i · u_i and running min(s_i, u_i) · m_i.
/// The hashrate that earns its power is T = Σ_i m_i · min(s_i(h), u_i), and the online
/// hashrate follows it with time constant τ (machines switch in hours; curtailment contracts
/// and sales of hosting take days):  H(t+Δ) = T + (H(t) − T) · e^{−Δ/τ}.
///
/// Frontier. Machines bought at t have e_f(t) = e_∞ + (e_0 − e_∞) · e^{−k t} J/TH and cost
/// P(t) = P_0 · e_f(t) / e_0 USD per TH/s: a constant price per watt of machine (the S21 at
/// 15 USD/TH and 17.5 J/TH is 0.86 USD/W), so capital gets cheaper per TH only as fast as
/// efficiency improves.
///
/// Investment. A new machine at the median power price returns, per year,
///   ρ(t) = 365 · (h_net − k(e_f(t), c₅₀)) / P(t),
/// and miners respond to its trailing mean ρ̄ (ρ̄ ← ρ̄ + (ρ − ρ̄)(1 − e^{−Δ/m}), m the memory).
/// Orders grow installed capacity C = Σ_i C_i at the rate
///   γ = γ_max · (1 − exp(−κ · max(0, ρ̄ − r) / γ_max))   per year,
/// r the hurdle return, κ the response to excess return, γ_max the supply limit (foundry
/// capacity); machines ordered at t arrive at t + lag as a vintage of efficiency e_f(t).
/// Nothing is ordered while new machines return less than r: capacity can never outgrow what
/// the revenue pays, and when hashprice is high the orders come (after the lag) until it is not.
///
/// Foresight of the retarget. Everyone sees where the next difficulty is heading (the
/// hashrate since the last retarget, shown as the "estimated next adjustment" by every block
/// explorer and priced by hashrate forwards), so a miner deciding whether to run looks
/// through the current window's difficulty D to the one the network's hashrate implies,
///   D̂ = H̄ · 600 · 10¹² / 2³²,   H̄ ← H̄ + (H − H̄)(1 − e^{−Δ/w})   (w the estimate's memory),
/// and decides (running, scrapping) on the anticipated hashprice
///   ĥ = h · (D / D̂)^φ,   φ ∈ [0, 1] the foresight.
/// Why it matters: with φ = 0 the next difficulty is the last window's hashrate H_n, which
/// answers the window's hashprice, D_{n+1} ∝ H_n ∝ D_n^{−ε}; once the whole fleet runs at its
/// margin the supply elasticity ε = φ_N(z)/(σ_c Φ_N(z)) (z the margin's standard score) exceeds
/// 1 — it grows without bound in the lognormal's lower tail — and the retarget oscillates
/// with a growing amplitude (windows of 300 s and 1,000–5,000 s a block, slow on average). With
/// φ = 1 the decision depends on H̄, not on the window's D: a stable lag loop for any ε.
/// The network model sees only the rest of the world's hashrate, so D̂ leaves out the
/// facility's own (a share of a percent in the shipped scenarios).
///
/// Retirement. Wear and failures remove every vintage at λ_w a year (m_i ← m_i e^{−λ_w Δ});
/// machines that stay off are scrapped at λ_idle a year: when s_i < u_i,
/// u_i ← s_i + (u_i − s_i) · e^{−λ_idle Δ}.
///
/// Start. The legacy fleet is 16 vintages of equal installed hashrate at the quantiles
/// (j + ½)/16 of a two-piece lognormal in efficiency through p10 < p50 < p90, scaled so that
/// the online hashrate at the first step is H(0); the order pipeline holds the orders of the
/// last `lag` placed at the start's rate, so deliveries do not pause at the start.
class IndustryNetwork final : public NetworkModel {
 public:
  struct Params {
    std::optional<double> initial_ths;
    double p10_j_per_th = 18, p50_j_per_th = 26, p90_j_per_th = 38;
    double frontier_j_per_th = 17.5;         ///< e_0
    double frontier_floor_j_per_th = 5.0;    ///< e_∞
    double frontier_improvement_per_year = 0.2;  ///< k
    double machine_price_usd_per_th = 15.0;  ///< P_0
    double power_price_usd_per_mwh = 45.0;   ///< c₅₀
    double power_price_spread = 0.4;         ///< σ_c
    double pue = 1.1;                        ///< u
    double pool_fee = 0.02;                  ///< f
    sim::SimTime switch_time_s = 3 * sim::kSecondsPerDay;  ///< τ
    sim::SimTime delivery_lag_s = 120 * sim::kSecondsPerDay;
    sim::SimTime profitability_memory_s = 30 * sim::kSecondsPerDay;  ///< m
    double hurdle_return_per_year = 0.3;     ///< r
    double investment_response = 1.0;       ///< κ
    double max_growth_per_year = 0.7;        ///< γ_max
    double wear_retirement_per_year = 0.05;  ///< λ_w
    double idle_retirement_per_year = 1.0;   ///< λ_idle
    double retarget_foresight = 1.0;         ///< φ
    sim::SimTime next_difficulty_memory_s = 7 * sim::kSecondsPerDay;  ///< w
  };
  /// Quantiles 0 < p10 < p50 < p90; 0 < e_∞ < e_0; prices > 0; σ_c > 0; pue >= 1;
  /// 0 <= fee < 1; times > 0; rates >= 0; 0 <= φ <= 1.
  explicit IndustryNetwork(const Params& params);
  double initial_ths(double implied_ths) override;
  double next_ths(double hashrate_ths, const NetworkStep& step, sim::Rng& rng) override;

  /// k(e, c₅₀): power cost of a machine of efficiency e at the median power price, USD per TH/s-day.
  double power_cost_usd_per_th_day(double j_per_th) const;
  /// s(e, h): the share of machines of efficiency e that pay their power at gross hashprice h.
  double running_share(double j_per_th, double hashprice_usd_per_th_day) const;
  /// e_f(t): efficiency of machines bought at `t_s` since the epoch, J/TH.
  double frontier_j_per_th(sim::SimTime t_s) const;
  /// P(t) = P_0 · e_f(t) / e_0: price of new machines at `t_s`, USD per TH/s.
  double machine_price_usd_per_th(sim::SimTime t_s) const;
  /// ρ(t): yearly return of a new machine at the median power price and gross hashprice h.
  double new_machine_return_per_year(double hashprice_usd_per_th_day, sim::SimTime t_s) const;
  /// γ(ρ̄): growth rate of installed capacity from orders, 1/year.
  double order_growth_per_year(double trailing_return_per_year) const;
  /// T: installed hashrate that pays its power at gross hashprice h, TH/s.
  double profitable_ths(double hashprice_usd_per_th_day) const;
  /// C: installed hashrate, online or not, TH/s (0 before the first step).
  double installed_ths() const;
  /// Ordered, not yet delivered, TH/s.
  double on_order_ths() const;
  /// ĥ = h · (D / D̂)^φ: the hashprice miners decide on, at gross hashprice h and difficulty D,
  /// with D̂ what the trailing hashrate H̄ implies (h itself before the first step).
  double anticipated_hashprice(double hashprice_usd_per_th_day, double difficulty) const;
  /// ρ̄, the trailing return new orders respond to.
  double trailing_return_per_year() const { return trailing_return_; }

 private:
  struct Vintage {
    std::int64_t period;  // 30-day period of arrival since the epoch (legacy: below any)
    double j_per_th;
    double ths;             // m_i: hashrate as delivered, less wear
    double installed_quantile = 1.0;  // u_i: power-price quantile still installed
  };
  struct Order {
    sim::SimTime arrival_s;
    double j_per_th;
    double ths;
  };
  void start(double hashrate_ths, const NetworkStep& step);
  void deliver(const Order& order);

  Params p_;
  double s_lo_, s_hi_;
  bool started_ = false;
  std::vector<Vintage> vintages_;
  std::deque<Order> pipeline_;
  double trailing_return_ = 0;
  double trailing_ths_ = 0;  // H̄, the hashrate the next difficulty is estimated from
};

}  // namespace hybridsim::models::bitcoin
