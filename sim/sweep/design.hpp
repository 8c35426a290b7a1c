#pragma once
/// Designs on the unit cube [0, 1)^d, one point per row. SweepPlan maps each column onto
/// its key's range (or list of values).
#include <cstdint>
#include <vector>

#include <Eigen/Dense>

namespace hybridsim::sweep {

/// `n` independent uniform points (SplitMix64 seeded with `seed`).
Eigen::MatrixXd random_design(std::int64_t n, int d, std::uint64_t seed);

/// A Latin hypercube of `n` points: in every column each of the n strata [k/n, (k+1)/n)
/// holds exactly one point, placed uniformly within it; strata are matched across columns
/// by independent random permutations (Fisher–Yates over SplitMix64 seeded with `seed`).
Eigen::MatrixXd latin_hypercube(std::int64_t n, int d, std::uint64_t seed);

/// Saltelli's scheme for first- and total-order Sobol' indices (Saltelli et al. 2010,
/// "Variance based sensitivity analysis of model output", Comput. Phys. Commun. 181:259–270):
/// matrices A and B (n × d) are the first and last d columns of n Sobol' points in 2d
/// dimensions (the origin skipped); A_B^i is A with column i taken from B. The design
/// holds, for each sample j, the rows A_j, A_B^1_j, ..., A_B^d_j, B_j: n·(d+2) rows.
struct SaltelliDesign {
  Eigen::MatrixXd points;
  std::vector<int> block;            ///< per row: 0 = A, i = A_B^i (1..d), d+1 = B
  std::vector<std::int64_t> sample;  ///< per row: j
};
/// Throws std::invalid_argument when 2d exceeds the Sobol' generator's dimensions.
SaltelliDesign saltelli_design(std::int64_t n, int d);

}  // namespace hybridsim::sweep
