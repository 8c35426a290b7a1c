#include "sim/sweep/design.hpp"

#include <numeric>

#include "sim/sweep/seeds.hpp"
#include "sim/sweep/sobol_sequence.hpp"

namespace hybridsim::sweep {

Eigen::MatrixXd random_design(std::int64_t n, int d, std::uint64_t seed) {
  SplitMix64 rng(seed);
  Eigen::MatrixXd out(n, d);
  for (std::int64_t i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j) out(i, j) = rng.uniform();
  return out;
}

Eigen::MatrixXd latin_hypercube(std::int64_t n, int d, std::uint64_t seed) {
  SplitMix64 rng(seed);
  Eigen::MatrixXd out(n, d);
  std::vector<std::int64_t> perm(static_cast<std::size_t>(n));
  for (int j = 0; j < d; ++j) {
    std::iota(perm.begin(), perm.end(), 0);
    for (std::int64_t i = n - 1; i > 0; --i)
      std::swap(perm[static_cast<std::size_t>(i)], perm[rng.below(static_cast<std::uint64_t>(i + 1))]);
    for (std::int64_t i = 0; i < n; ++i)
      out(i, j) = (static_cast<double>(perm[static_cast<std::size_t>(i)]) + rng.uniform()) / static_cast<double>(n);
  }
  return out;
}

SaltelliDesign saltelli_design(std::int64_t n, int d) {
  SobolSequence sobol(2 * d);
  const Eigen::MatrixXd base = sobol.points(n, 1);
  const Eigen::MatrixXd a = base.leftCols(d);
  const Eigen::MatrixXd b = base.rightCols(d);
  SaltelliDesign out;
  out.points.resize(n * (d + 2), d);
  std::int64_t row = 0;
  for (std::int64_t j = 0; j < n; ++j) {
    for (int block = 0; block <= d + 1; ++block, ++row) {
      if (block == d + 1) {
        out.points.row(row) = b.row(j);
      } else {
        out.points.row(row) = a.row(j);
        if (block > 0) out.points(row, block - 1) = b(j, block - 1);
      }
      out.block.push_back(block);
      out.sample.push_back(j);
    }
  }
  return out;
}

}  // namespace hybridsim::sweep
