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

double irr_per_year(const std::vector<DatedCash>& stream) {
  double lo = -0.99, hi = 1.0;
  double f_lo = npv_usd(stream, lo), f_hi = npv_usd(stream, hi);
  // A project that pays back within weeks has a rate of return of thousands of percent:
  // widen the bracket tenfold until NPV changes sign (or give up at 10^9).
  while (!(f_lo * f_hi < 0.0) && hi < 1e9) {
    hi *= 10.0;
    f_hi = npv_usd(stream, hi);
  }
  if (!(f_lo * f_hi < 0.0)) return std::numeric_limits<double>::quiet_NaN();
  // Bisection: 200 halvings reach the resolution of a double whatever the bracket.
  for (int i = 0; i < 200 && hi - lo > 1e-15 * std::max(1.0, std::abs(lo)); ++i) {
    const double mid = 0.5 * (lo + hi);
    const double f = npv_usd(stream, mid);
    if ((f < 0.0) == (f_lo < 0.0)) {
      lo = mid;
      f_lo = f;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi);
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
