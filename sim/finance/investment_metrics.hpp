#pragma once
/// The investment figures of a dated cash stream: NPV, IRR, payback and drawdown.
///
/// A stream is a list of net cash flows c_i (USD, inflows positive) at times t_i (Julian
/// years after the start, t_i ≥ 0, in increasing order). With yearly compounding at the rate r:
///
///   NPV(r)  = Σ_i c_i / (1 + r)^{t_i}                                  (r > −1)
///   IRR     = the r with NPV(r) = 0, found by bisection on [−0.99, h], h = 1, 10, 100, ... up
///             to 10^9 until NPV changes sign (NaN otherwise: no rate of return)
///   payback = the first t_k from which the cumulative Σ_{i≤k} c_i stays ≥ 0 up to the end
///             (NaN if it ends negative)
///   drawdown = max_k (max_{j≤k} S_j − S_k), S_k = S_0 + Σ_{i≤k} c_i: the deepest fall of the
///             cash balance below its earlier peak (S_0 the initial cash)
///
/// Textbook definitions (e.g. Brealey, Myers & Allen, Principles of Corporate Finance, ch. 2
/// and 5). The simulation feeds the net cash of each recording interval, dated at the end of
/// the interval; no terminal value is added at the horizon.
#include <vector>

namespace hybridsim::sim::finance {

struct DatedCash {
  double t_years = 0.0;  ///< Julian years after the start
  double usd = 0.0;      ///< net cash flow, inflows positive
};

/// NPV at `rate_per_year` (> −1), USD.
double npv_usd(const std::vector<DatedCash>& stream, double rate_per_year);
/// IRR per year, or NaN when NPV does not change sign on [−0.99, 10^9].
double irr_per_year(const std::vector<DatedCash>& stream);
/// Payback time in years after the start, or NaN.
double payback_years(const std::vector<DatedCash>& stream);
/// Deepest drawdown of the balance initial_usd + cumulative flows, USD (≥ 0).
double max_drawdown_usd(const std::vector<DatedCash>& stream, double initial_usd);

}  // namespace hybridsim::sim::finance
