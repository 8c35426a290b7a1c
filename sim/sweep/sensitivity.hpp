#pragma once
/// First- and total-order Sobol' indices from Saltelli's design (design.hpp), with bootstrap
/// confidence intervals.
///
/// With A and B two independent N×d samples of the parameters and A_B^i the matrix A whose
/// column i comes from B, and f_A, f_B, f_AB^i the model outputs on their rows:
///
///   V    = Var(Y), estimated over the 2N outputs of A and B together (divisor 2N)
///   V_i  = (1/N)  Σ_j f_B,j (f_AB^i,j − f_A,j)       first order, Saltelli et al. (2010), Table 2
///   VT_i = (1/2N) Σ_j (f_A,j − f_AB^i,j)²            total order, Jansen (1999), ibid.
///   S_i = V_i / V,  ST_i = VT_i / V
///
/// A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto, S. Tarantola, "Variance based
/// sensitivity analysis of model output. Design and estimator for the total sensitivity index",
/// Computer Physics Communications 181 (2010) 259–270. M. J. W. Jansen, "Analysis of variance
/// designs for model output", Computer Physics Communications 117 (1999) 35–43.
///
/// Outputs are centred on their mean over A and B before the sums (the indices are unchanged in
/// expectation; the sums lose fewer digits when the mean is large against the spread).
///
/// Confidence intervals: the N samples j (each a row of A, its d rows A_B^i and its row of B)
/// are resampled with replacement, `resamples` times, and each estimate recomputed on the
/// resample; the interval is the percentile interval (linear interpolation between order
/// statistics) at the chosen confidence. The resamples are drawn from SplitMix64 seeded with
/// `seed`, the same for every output, so that results are reproducible and outputs comparable.
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Dense>

namespace hybridsim::sweep {

/// Where each member of a Saltelli sweep sits: run index of (sample j, block b, replication r).
/// Blocks as in SaltelliDesign: 0 = A, i = A_B^i (1..d), d+1 = B.
struct SaltelliLayout {
  int parameters = 0;              ///< d
  std::int64_t samples = 0;        ///< N
  std::int64_t replications = 1;   ///< R
  std::vector<std::int64_t> runs;  ///< run index at ((j·(d+2) + b)·R + r)

  std::int64_t run(std::int64_t j, int block, std::int64_t r) const {
    return runs[static_cast<std::size_t>((j * (parameters + 2) + block) * replications + r)];
  }

  /// From the per-run columns a sobol sweep records (`sobol_block`, `sobol_sample`,
  /// `replication`). Throws std::invalid_argument unless every (j, b, r) is held by exactly one
  /// run, with blocks 0..d+1, samples 0..N-1 and replications 0..R-1.
  static SaltelliLayout from_columns(int parameters, std::int64_t replications, const std::vector<std::int64_t>& block,
                                     const std::vector<std::int64_t>& sample,
                                     const std::vector<std::int64_t>& replication);
};

/// One output on the design: f_A (N), f_B (N), f_AB (N×d, column i−1 = A_B^i).
struct SaltelliOutputs {
  Eigen::VectorXd a;
  Eigen::VectorXd b;
  Eigen::MatrixXd ab;
};

/// The output `y` (one value per run) arranged on the design, each design point taking the
/// mean of its replications.
SaltelliOutputs arrange(const SaltelliLayout& layout, const Eigen::VectorXd& y);

struct BootstrapOptions {
  static constexpr std::uint64_t kDefaultSeed = 20100101;  ///< fixed: reruns give the same intervals
  int resamples = 1000;
  std::uint64_t seed = kDefaultSeed;
  double confidence = 0.95;
};

/// The indices of one output, each with its interval.
struct SobolIndices {
  /// Why the indices are undefined (the output is constant, or not finite somewhere); empty
  /// when they are defined. When it is not empty the vectors below are empty.
  std::string undefined;
  double mean = 0.0;      ///< over A and B
  double variance = 0.0;  ///< V, over A and B
  Eigen::VectorXd first, first_low, first_high;  ///< S_i and its interval, per parameter
  Eigen::VectorXd total, total_low, total_high;  ///< ST_i and its interval
  /// Resamples without variance (they drew points of one value only): left out of the
  /// intervals. More than a few means the output rarely moves and the intervals are not
  /// to be trusted. Interval ends are NaN when every resample is degenerate.
  int degenerate_resamples = 0;
};

/// The indices of several outputs of one design, all bootstrapped on the same resamples.
/// Throws std::invalid_argument for fewer than 2 samples, no resamples, a confidence outside
/// (0, 1), or outputs of different shapes.
std::vector<SobolIndices> sobol_indices(const std::vector<SaltelliOutputs>& outputs, const BootstrapOptions& options);

}  // namespace hybridsim::sweep
