#pragma once
/// Sobol' low-discrepancy points in up to kMaxDimensions dimensions.
///
/// Dimension 1 is the van der Corput sequence in base 2; dimensions 2.. use the primitive
/// polynomials and initial direction numbers of Joe & Kuo (2008), "Constructing Sobol
/// sequences with better two-dimensional projections", SIAM J. Sci. Comput. 30:2635–2654,
/// file `new-joe-kuo-6.21201` (the table SciPy's `qmc.Sobol` uses). Points are generated in
/// Gray-code order (Antonov & Saleev 1979), unscrambled: point 0 is the origin.
#include <cstdint>
#include <vector>

#include <Eigen/Dense>

namespace hybridsim::sweep {

class SobolSequence {
 public:
  static constexpr int kMaxDimensions = 32;
  static constexpr int kBits = 52;  ///< resolution: 2^52 points before the sequence repeats

  /// Throws std::invalid_argument unless 1 ≤ dimensions ≤ kMaxDimensions.
  explicit SobolSequence(int dimensions);

  /// The next point, each coordinate in [0, 1).
  Eigen::RowVectorXd next();
  /// `count` points after skipping the first `skip`, one per row.
  Eigen::MatrixXd points(std::int64_t count, std::int64_t skip = 0);

 private:
  int dimensions_;
  std::vector<std::vector<std::uint64_t>> direction_;  // [dimension][bit]
  std::vector<std::uint64_t> state_;
  std::uint64_t index_ = 0;
};

}  // namespace hybridsim::sweep
