#pragma once
/// The investment figures of a dated cash stream: NPV, IRR, payback and drawdown.
///
/// A stream is a list of net cash flows c_i (USD, inflows positive) at times t_i (Julian
/// years after the start, t_i ≥ 0, in increasing order). With yearly compounding at the rate r:
///
///   NPV(r)  = Σ_i c_i / (1 + r)^{t_i}                                  (r > −1)
///   IRR     = a root of NPV(r) = 0: the smallest non-negative one (scanning up from 0 on a grid
///             that widens tenfold per decade, to 10^9, then bisection), else the first below 0
///             down to −0.99; NaN when there is none. Streams that change sign more than once
///             (capex, profits, then losses) can have several roots: this picks the lowest ≥ 0.
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
/// IRR per year (the smallest non-negative root, else a negative one), or NaN. The scan reads
/// the NPV's sign from bounds on a weekly aggregate of the stream where they settle it (see the
/// .cpp), so it costs a few exact NPV evaluations instead of up to ~90; `exact_scan_points`
/// (if given) receives how many grid points still needed the exact NPV.
double irr_per_year(const std::vector<DatedCash>& stream, int* exact_scan_points = nullptr);
/// The same IRR by a scan of exact NPVs at every grid point (the reference of irr_per_year:
/// both give the same double).
double irr_per_year_exact_scan(const std::vector<DatedCash>& stream);
/// Payback time in years after the start, or NaN.
double payback_years(const std::vector<DatedCash>& stream);
/// Deepest drawdown of the balance initial_usd + cumulative flows, USD (≥ 0).
double max_drawdown_usd(const std::vector<DatedCash>& stream, double initial_usd);

}  // namespace hybridsim::sim::finance
