#include "sim/finance/investment_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hybridsim::sim::finance {

double npv_usd(const std::vector<DatedCash>& stream, double rate_per_year) {
  // log1p keeps (1 + r)^t exact near r = 0 and for long horizons.
  const double log_growth = std::log1p(rate_per_year);
  double npv = 0.0;
  for (const auto& c : stream) npv += c.usd * std::exp(-log_growth * c.t_years);
  return npv;
}

namespace {

// Bisection for the root of NPV on [lo, hi], where NPV changes sign.
// The root of the NPV in [lo, hi] (a sign change), by regula falsi with the Illinois
// modification: it keeps bisection's bracket but converges superlinearly, so a stream of
// tens of thousands of flows needs a dozen NPV evaluations, not fifty.
double bisect(const std::vector<DatedCash>& stream, double lo, double hi) {
  double f_lo = npv_usd(stream, lo), f_hi = npv_usd(stream, hi);
  int side = 0;
  for (int i = 0; i < 200 && hi - lo > 1e-15 * std::max(1.0, std::abs(lo)); ++i) {
    double mid = (lo * f_hi - hi * f_lo) / (f_hi - f_lo);
    if (!(mid > lo && mid < hi)) mid = 0.5 * (lo + hi);  // a flat or broken secant: bisect
    const double f = npv_usd(stream, mid);
    if (f == 0.0) return mid;
    if ((f < 0.0) == (f_lo < 0.0)) {
      lo = mid;
      f_lo = f;
      if (side == -1) f_hi *= 0.5;
      side = -1;
    } else {
      hi = mid;
      f_hi = f;
      if (side == +1) f_lo *= 0.5;
      side = +1;
    }
    if (std::abs(f) <= 1e-12 * (std::abs(f_lo) + std::abs(f_hi))) return mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

double irr_per_year(const std::vector<DatedCash>& stream) {
  // A stream whose sign changes more than once (capex, profits, then losses) may have several
  // roots: scan upward from 0 on a grid of ten points a decade (0.01, 0.02, ..., 0.1, 0.2, ...)
  // up to 10^9 and take the first sign change (the smallest non-negative IRR); only then look
  // below 0. Two roots closer than a grid step are not told apart.
  double lo = 0.0, f_lo = npv_usd(stream, lo);
  for (double step = 0.01; lo < 1e9 && step < 1e10; step *= 10.0) {
    for (int k = 0; k < 10 && lo < 1e9 - 0.5 * step; ++k) {
      const double hi = lo + step;
      const double f_hi = npv_usd(stream, hi);
      if (f_lo == 0.0) return lo;
      if (f_lo * f_hi < 0.0) return bisect(stream, lo, hi);
      lo = hi;
      f_lo = f_hi;
    }
  }
  double hi = 0.0;
  for (double low = -0.1; low >= -0.99 - 1e-12; low -= 0.1) {
    const double f_low = npv_usd(stream, low);
    if (f_low == 0.0) return low;
    if (f_low * npv_usd(stream, hi) < 0.0) return bisect(stream, low, hi);
    hi = low;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

double payback_years(const std::vector<DatedCash>& stream) {
  double cumulative = 0.0;
  double since = std::numeric_limits<double>::quiet_NaN();
  for (const auto& c : stream) {
    cumulative += c.usd;
    if (cumulative < 0.0) {
      since = std::numeric_limits<double>::quiet_NaN();
    } else if (std::isnan(since)) {
      since = c.t_years;
    }
  }
  return since;
}

double max_drawdown_usd(const std::vector<DatedCash>& stream, double initial_usd) {
  double balance = initial_usd, peak = initial_usd, deepest = 0.0;
  for (const auto& c : stream) {
    balance += c.usd;
    peak = std::max(peak, balance);
    deepest = std::max(deepest, peak - balance);
  }
  return deepest;
}

}  // namespace hybridsim::sim::finance
