#include "sim/finance/terminal_value.hpp"

#include <cmath>

namespace hybridsim::sim::finance {

std::vector<DatedCash> contracted_lumps(const ContractedStream& s, double horizon_years) {
  std::vector<DatedCash> out;
  const double span = s.end_years - horizon_years;
  if (!(span > 0)) return out;
  // Whole months first; a span within 1e-9 of a whole number of months has no partial one.
  const auto months = static_cast<long>(std::floor(span * 12.0 + 1e-9));
  for (long k = 1; k <= months; ++k) {
    const double dt = static_cast<double>(k) / 12.0;
    out.push_back({horizon_years + dt, s.net_usd_per_year / 12.0 * std::exp(-s.hazard_per_year * dt)});
  }
  const double rest = span - static_cast<double>(months) / 12.0;
  if (rest > 1e-9) out.push_back({s.end_years, s.net_usd_per_year * rest * std::exp(-s.hazard_per_year * span)});
  return out;
}

}  // namespace hybridsim::sim::finance
