#pragma once
/// Straight-line depreciation: an asset bought for C at t_0 with a useful life L loses
///
///   D(t) = C · clamp((t − t_0) / L, 0, 1)
///
/// of its book value by t, at the constant rate C / L during [t_0, t_0 + L) and 0 outside.
/// Depreciation is not cash: it is recorded as its own series, never through an account.
#include <algorithm>

#include "sim/core/time.hpp"

namespace hybridsim::sim::finance {

/// Rate of depreciation at time t, USD/s.
inline double straight_line_rate_usd_per_s(double cost_usd, SimTime start_s, SimTime life_s, SimTime t_s) {
  return (life_s > 0 && t_s >= start_s && t_s < start_s + life_s) ? cost_usd / static_cast<double>(life_s) : 0.0;
}

/// Depreciation accumulated by time t, USD.
inline double straight_line_accumulated_usd(double cost_usd, SimTime start_s, SimTime life_s, SimTime t_s) {
  if (life_s <= 0) return t_s >= start_s ? cost_usd : 0.0;
  return cost_usd * std::clamp(static_cast<double>(t_s - start_s) / static_cast<double>(life_s), 0.0, 1.0);
}

}  // namespace hybridsim::sim::finance
