#pragma once
// Sample mean and variance with their standard errors, for the statistical tests.
#include <cmath>
#include <vector>

namespace hybridsim::models::bitcoin::testing {

struct Moments {
  double mean = 0, variance = 0;
  double se_mean = 0, se_variance = 0;  // from the sample's own 2nd and 4th central moments
};

inline Moments moments(const std::vector<double>& x) {
  const double n = static_cast<double>(x.size());
  Moments m;
  for (double v : x) m.mean += v;
  m.mean /= n;
  double m2 = 0, m4 = 0;
  for (double v : x) {
    const double d2 = (v - m.mean) * (v - m.mean);
    m2 += d2;
    m4 += d2 * d2;
  }
  m2 /= n;
  m4 /= n;
  m.variance = m2 * n / (n - 1);
  m.se_mean = std::sqrt(m2 / n);
  m.se_variance = std::sqrt((m4 - m2 * m2) / n);
  return m;
}

}  // namespace hybridsim::models::bitcoin::testing
