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

// The root of the NPV in [lo, hi] (a sign change; f_lo and f_hi the exact NPVs at the ends),
// by regula falsi with the Illinois modification: it keeps bisection's bracket but converges
// superlinearly, so a stream of tens of thousands of flows needs a dozen NPV evaluations, not
// fifty.
double bisect(const std::vector<DatedCash>& stream, double lo, double f_lo, double hi, double f_hi) {
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

namespace {

// The scan's view of the NPV at a grid rate: its sign, and the exact NPV only where it is needed.
// An NPV evaluation walks every flow (tens of thousands of hourly flows, one exp each), and the
// scan may visit ~90 grid points, so the scan first asks cheap bounds on a coarse aggregate of
// the stream, and falls back to the exact sum only where the bounds do not settle the sign.
//
// The bounds. Group consecutive flows into buckets k whose dates lie in [a_k, b_k]; let P_k be
// the sum of the bucket's inflows and N_k that of its outflows' magnitudes. With g = log1p(r)
// (the same double the exact sum uses), every discount factor of the bucket lies between
// w_lo = min(e^{−g a_k}, e^{−g b_k}) and w_hi = max(...) (e^{−g t} is monotone in t), so
//   L = Σ_k (P_k w_lo − N_k w_hi)  ≤  Σ_i c_i e^{−g t_i}  ≤  U = Σ_k (P_k w_hi − N_k w_lo).
// The exact sum in doubles differs from the real Σ_i c_i e^{−g t_i} by rounding: at most
// about (n + 4)·2^−53·S with S = Σ_i |c_i| e^{−g t_i} ≤ Σ_k (P_k + N_k) w_hi (summation and the
// exp's, its argument's and the product's last-bit errors; 1e−11 S for 87,600 flows), and the
// bounds' own sums by about 2^−53 S per bucket. So L > m or U < −m, with the margin
// m = (1e−9 + 1e−15 n) Σ_k (P_k + N_k) w_hi, fixes the sign of the computed exact NPV, and then
// that NPV is not 0. A stream with a non-finite date or amount is left to the exact sum.
class NpvSigns {
 public:
  explicit NpvSigns(const std::vector<DatedCash>& stream) : stream_(stream) {
    constexpr double kBucketYears = 1.0 / 52.0;  // weekly: 168 hourly flows per bucket
    for (const auto& c : stream) {
      if (!std::isfinite(c.t_years) || !std::isfinite(c.usd)) {
        buckets_.clear();
        return;
      }
      if (buckets_.empty() || c.t_years < buckets_.back().first_t ||
          c.t_years > buckets_.back().first_t + kBucketYears) {
        buckets_.push_back({c.t_years, c.t_years, c.t_years, 0.0, 0.0});
      }
      Bucket& b = buckets_.back();
      b.min_t = std::min(b.min_t, c.t_years);
      b.max_t = std::max(b.max_t, c.t_years);
      (c.usd >= 0.0 ? b.in_usd : b.out_usd) += std::abs(c.usd);
    }
  }

  // The exact NPV at `rate`, or ±1 (its sign) when the bounds settle the sign. Never 0 unless
  // the exact NPV is 0, so the scan's tests (f == 0, f_lo·f_hi < 0) read the same answers.
  double sign_or_npv(double rate) const {
    if (!buckets_.empty() && buckets_.size() * 4 < stream_.size()) {  // else as dear as the sum
      const double g = std::log1p(rate);
      double lower = 0.0, upper = 0.0, gross = 0.0;
      for (const auto& b : buckets_) {
        const double e_first = std::exp(-g * b.min_t), e_last = std::exp(-g * b.max_t);
        const double w_lo = std::min(e_first, e_last), w_hi = std::max(e_first, e_last);
        lower += b.in_usd * w_lo - b.out_usd * w_hi;
        upper += b.in_usd * w_hi - b.out_usd * w_lo;
        gross += (b.in_usd + b.out_usd) * w_hi;
      }
      const double margin = (1e-9 + 1e-15 * static_cast<double>(stream_.size())) * gross;
      if (lower > margin) return 1.0;
      if (upper < -margin) return -1.0;
    }
    ++exact_evaluations_;
    return npv_usd(stream_, rate);
  }

  int exact_evaluations() const { return exact_evaluations_; }

 private:
  struct Bucket {
    double first_t, min_t, max_t, in_usd, out_usd;
  };
  const std::vector<DatedCash>& stream_;
  std::vector<Bucket> buckets_;
  mutable int exact_evaluations_ = 0;
};

// The scan of irr_per_year; `npv_at(r)` gives the NPV at r or a proxy of the same sign that is
// never 0 unless the NPV is. On finding a bracket (a sign change between neighbouring grid
// points) it returns on_bracket(lo, f_lo, hi, f_hi).
template <class NpvAt, class Exact>
double scan_for_irr(const NpvAt& npv_at, const Exact& on_bracket) {
  double lo = 0.0, f_lo = npv_at(lo);
  for (double step = 0.01; lo < 1e9 && step < 1e10; step *= 10.0) {
    for (int k = 0; k < 10 && lo < 1e9 - 0.5 * step; ++k) {
      const double hi = lo + step;
      const double f_hi = npv_at(hi);
      if (f_lo == 0.0) return lo;
      if (f_lo * f_hi < 0.0) return on_bracket(lo, f_lo, hi, f_hi);
      lo = hi;
      f_lo = f_hi;
    }
  }
  double hi = 0.0;
  for (double low = -0.1; low >= -0.99 - 1e-12; low -= 0.1) {
    const double f_low = npv_at(low);
    if (f_low == 0.0) return low;
    const double f_hi = npv_at(hi);
    if (f_low * f_hi < 0.0) return on_bracket(low, f_low, hi, f_hi);
    hi = low;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

double irr_per_year_exact_scan(const std::vector<DatedCash>& stream) {
  return scan_for_irr([&](double r) { return npv_usd(stream, r); },
                      [&](double lo, double f_lo, double hi, double f_hi) {
                        return bisect(stream, lo, f_lo, hi, f_hi);
                      });
}

double irr_per_year(const std::vector<DatedCash>& stream, int* exact_scan_points) {
  // A stream whose sign changes more than once (capex, profits, then losses) may have several
  // roots: scan upward from 0 on a grid of ten points a decade (0.01, 0.02, ..., 0.1, 0.2, ...)
  // up to 10^9 and take the first sign change (the smallest non-negative IRR); only then look
  // below 0. Two roots closer than a grid step are not told apart.
  //
  // The scan reads signs from NpvSigns (bounds on a weekly aggregate, the exact sum where they
  // do not settle the sign), so it visits the same grid points and stops at the same bracket as
  // a scan of exact NPVs (irr_per_year_exact_scan). The bracket is then checked on the exact
  // stream (a product of two exact NPVs can underflow where their signs differ: the exact scan
  // then goes on, and so does the fallback), and regula falsi runs on the exact stream: the
  // answer is the exact scan's, bit for bit.
  const NpvSigns signs(stream);
  bool fell_back = false;
  const double irr = scan_for_irr(
      [&](double r) { return signs.sign_or_npv(r); },
      [&](double lo, double, double hi, double) {
        const double f_lo = npv_usd(stream, lo), f_hi = npv_usd(stream, hi);
        if (f_lo != 0.0 && f_lo * f_hi < 0.0) return bisect(stream, lo, f_lo, hi, f_hi);
        fell_back = true;
        return 0.0;
      });
  if (exact_scan_points != nullptr) *exact_scan_points = signs.exact_evaluations();
  if (fell_back) return irr_per_year_exact_scan(stream);
  return irr;
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
