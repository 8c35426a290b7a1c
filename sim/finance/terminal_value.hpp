#pragma once
/// Horizon treatment of the NPV: the cash a run's contracts still owe after its horizon.
///
/// A run ends at its horizon H (Julian years after the start); a 12-year lease in a 6-year run
/// would otherwise be valued for 6 years only, which biases mine-versus-host toward mining.
/// With `finance.terminal_value: contracted` the NPV, IRR and payback count, after H, the
/// cash flows that contracts in force at H fix (nothing else: no renewal, no mining, no
/// resale of machines):
///
/// - a colocation lease in force at H, until the end of its current term E: net cash at the
///   rate it has at H,
///
///     c = rent + power passed through − SLA credits − grid price · P_t − F · P_t / P    [USD/year]
///
///   (P_t the tenant's grid MW at H, P the facility's, F the fixed costs per year: the
///   energy the tenant draws and its share of the fixed costs by power are its operating
///   costs), paid in monthly lumps (a twelfth of a Julian year) weighted by the chance that
///   the tenant has not defaulted, e^{−λ (t − H)} for its default hazard λ:
///
///     t_k = H + k/12 (k = 1..n, n = ⌊12 (E − H)⌋):  c/12 · e^{−λ (t_k − H)}
///     and at E, when E > t_n:                      c · (E − t_n) · e^{−λ (E − H)}
///
/// - a loan's payments after H (interest and principal, negative), at their dates.
///
/// The NPV of a stream with these lumps appended is NPV(run) + Σ lumps / (1 + r)^t: the second
/// term is the terminal value. Leases still waiting for their conversion at H, GPU-hour and
/// training contracts are not counted.
#include <string>
#include <vector>

#include "sim/finance/investment_metrics.hpp"

namespace hybridsim::sim::finance {

/// A lease's contracted net cash after the horizon.
struct ContractedStream {
  std::string name;
  double net_usd_per_year = 0.0;  ///< c above, operating costs already taken off
  double end_years = 0.0;         ///< E: end of the current term, years after the start
  double hazard_per_year = 0.0;   ///< λ ≥ 0
};

/// The monthly lumps of `stream` after `horizon_years` (empty when it ends by then).
std::vector<DatedCash> contracted_lumps(const ContractedStream& stream, double horizon_years);

}  // namespace hybridsim::sim::finance
