#include "sim/sweep/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/sweep/seeds.hpp"

namespace hybridsim::sweep {

SaltelliLayout SaltelliLayout::from_columns(int parameters, std::int64_t replications,
                                            const std::vector<std::int64_t>& block,
                                            const std::vector<std::int64_t>& sample,
                                            const std::vector<std::int64_t>& replication) {
  const auto runs = static_cast<std::int64_t>(block.size());
  if (parameters < 1 || replications < 1)
    throw std::invalid_argument("a Saltelli layout needs at least one parameter and one replication");
  if (sample.size() != block.size() || replication.size() != block.size())
    throw std::invalid_argument("sobol_block, sobol_sample and replication have different lengths");
  const std::int64_t per_sample = (parameters + 2) * replications;
  if (runs == 0 || runs % per_sample != 0)
    throw std::invalid_argument(fmt::format("{} members are not a whole number of samples of {} parameters x {} "
                                            "replications ({} members each)",
                                            runs, parameters, replications, per_sample));
  SaltelliLayout out;
  out.parameters = parameters;
  out.samples = runs / per_sample;
  out.replications = replications;
  out.runs.assign(static_cast<std::size_t>(runs), -1);
  for (std::int64_t run = 0; run < runs; ++run) {
    const auto i = static_cast<std::size_t>(run);
    const std::int64_t j = sample[i], b = block[i], r = replication[i];
    if (j < 0 || j >= out.samples || b < 0 || b > parameters + 1 || r < 0 || r >= replications)
      throw std::invalid_argument(fmt::format("run {}: sample {}, block {}, replication {} is outside the design "
                                              "({} samples, blocks 0..{}, {} replications)",
                                              run, j, b, r, out.samples, parameters + 1, replications));
    auto& slot = out.runs[static_cast<std::size_t>((j * (parameters + 2) + b) * replications + r)];
    if (slot >= 0)
      throw std::invalid_argument(
          fmt::format("runs {} and {} are both sample {}, block {}, replication {}", slot, run, j, b, r));
    slot = run;
  }
  return out;  // every slot is filled: as many runs as slots, none twice
}

SaltelliOutputs arrange(const SaltelliLayout& layout, const Eigen::VectorXd& y) {
  const int d = layout.parameters;
  const std::int64_t n = layout.samples;
  if (y.size() != static_cast<Eigen::Index>(layout.runs.size()))
    throw std::invalid_argument("the output has another length than the design");
  const auto point = [&](std::int64_t j, int b) {
    double sum = 0.0;
    for (std::int64_t r = 0; r < layout.replications; ++r) sum += y[layout.run(j, b, r)];
    return sum / static_cast<double>(layout.replications);
  };
  SaltelliOutputs out;
  out.a.resize(n);
  out.b.resize(n);
  out.ab.resize(n, d);
  for (std::int64_t j = 0; j < n; ++j) {
    out.a[j] = point(j, 0);
    for (int i = 1; i <= d; ++i) out.ab(j, i - 1) = point(j, i);
    out.b[j] = point(j, d + 1);
  }
  return out;
}

namespace {

/// Why an output's indices are undefined, or "".
std::string undefined_reason(const SaltelliOutputs& o) {
  const Eigen::Index points = o.a.size() + o.b.size() + o.ab.size();
  const Eigen::Index finite = o.a.array().isFinite().count() + o.b.array().isFinite().count() +
                              o.ab.array().isFinite().count();
  if (finite < points)
    return fmt::format("not finite at {} of the {} design points", points - finite, points);
  const double high = std::max({o.a.maxCoeff(), o.b.maxCoeff(), o.ab.maxCoeff()});
  const double low = std::min({o.a.minCoeff(), o.b.minCoeff(), o.ab.minCoeff()});
  const double scale = std::max(std::abs(high), std::abs(low));
  // A spread within rounding of the values themselves is no variance to apportion.
  if (high - low <= 1e-12 * scale) return fmt::format("constant ({:.6g} at every design point)", high);
  // V is estimated over A and B: an output that varies only at A_B^i points has none there.
  Eigen::VectorXd base(o.a.size() + o.b.size());
  base << o.a, o.b;
  const double spread = (base.array() - base.mean()).abs().maxCoeff();
  if (spread <= 1e-12 * scale)
    return fmt::format("constant over the A and B points ({:.6g}); it varies only at A_B^i points, so Var(Y) "
                       "estimates 0",
                       base[0]);
  return {};
}

// The sums every estimate needs, as columns of one matrix: a resample with multiplicities w
// (w_j = how often sample j was drawn) needs w^T M, so all resamples at once are W·M.
// Columns: P_i = b (ab_i − a) (d of them), Q_i = (a − ab_i)² (d), a, b, a², b².
Eigen::MatrixXd sum_terms(const SaltelliOutputs& o, double centre) {
  const Eigen::Index n = o.a.size(), d = o.ab.cols();
  const Eigen::ArrayXd a = o.a.array() - centre, b = o.b.array() - centre;
  const Eigen::ArrayXXd ab = o.ab.array() - centre;
  Eigen::MatrixXd m(n, 2 * d + 4);
  for (Eigen::Index i = 0; i < d; ++i) {
    m.col(i) = (b * (ab.col(i) - a)).matrix();
    m.col(d + i) = (a - ab.col(i)).square().matrix();
  }
  m.col(2 * d) = a.matrix();
  m.col(2 * d + 1) = b.matrix();
  m.col(2 * d + 2) = a.square().matrix();
  m.col(2 * d + 3) = b.square().matrix();
  return m;
}

/// S_i and ST_i from the weighted sums `s` (one row of W·M) over `n` drawn samples.
void estimates(const Eigen::Ref<const Eigen::RowVectorXd>& s, Eigen::Index d, double n, double& variance,
               Eigen::RowVectorXd& first, Eigen::RowVectorXd& total) {
  const double mean = (s[2 * d] + s[2 * d + 1]) / (2 * n);
  variance = (s[2 * d + 2] + s[2 * d + 3]) / (2 * n) - mean * mean;
  first = s.segment(0, d) / n / variance;
  total = s.segment(d, d) / (2 * n) / variance;
}

/// The q-quantile of the finite values of `x` (linear interpolation between order statistics).
double quantile(std::vector<double> x, double q) {
  std::erase_if(x, [](double v) { return !std::isfinite(v); });
  if (x.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(x.begin(), x.end());
  const double h = q * static_cast<double>(x.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, x.size() - 1);
  return x[lo] + (h - static_cast<double>(lo)) * (x[hi] - x[lo]);
}

}  // namespace

std::vector<SobolIndices> sobol_indices(const std::vector<SaltelliOutputs>& outputs, const BootstrapOptions& options) {
  if (options.resamples < 1) throw std::invalid_argument("the bootstrap needs at least one resample");
  if (!(options.confidence > 0.0 && options.confidence < 1.0))
    throw std::invalid_argument("the confidence level must lie in (0, 1)");
  std::vector<SobolIndices> out(outputs.size());
  if (outputs.empty()) return out;
  const Eigen::Index n = outputs.front().a.size(), d = outputs.front().ab.cols();
  if (n < 2) throw std::invalid_argument("Sobol' indices need at least 2 samples");
  const Eigen::Index k = 2 * d + 4;

  // The sum terms of every defined output side by side: one matrix product per batch of
  // resamples serves them all.
  std::vector<Eigen::Index> defined;
  Eigen::MatrixXd terms(n, 0);
  for (std::size_t m = 0; m < outputs.size(); ++m) {
    const auto& o = outputs[m];
    if (o.a.size() != n || o.b.size() != n || o.ab.rows() != n || o.ab.cols() != d)
      throw std::invalid_argument("outputs of one design must have the same shape");
    out[m].undefined = undefined_reason(o);
    if (!out[m].undefined.empty()) continue;
    out[m].mean = 0.5 * (o.a.mean() + o.b.mean());
    terms.conservativeResize(Eigen::NoChange, terms.cols() + k);
    terms.rightCols(k) = sum_terms(o, out[m].mean);
    defined.push_back(static_cast<Eigen::Index>(m));
  }
  const auto outputs_defined = static_cast<Eigen::Index>(defined.size());
  const double n_d = static_cast<double>(n);

  // Point estimates: every sample once.
  const Eigen::RowVectorXd all = terms.colwise().sum();
  for (Eigen::Index m = 0; m < outputs_defined; ++m) {
    auto& r = out[static_cast<std::size_t>(defined[static_cast<std::size_t>(m)])];
    Eigen::RowVectorXd first(d), total(d);
    estimates(all.segment(m * k, k), d, n_d, r.variance, first, total);
    r.variance = std::max(r.variance, 0.0);
    r.first = first.transpose();
    r.total = total.transpose();
  }

  // Bootstrap: resample rows of W are multiplicities of the N samples, drawn in batches so
  // that W stays small whatever N.
  const int resamples = options.resamples;
  std::vector<Eigen::MatrixXd> first_draws(defined.size(), Eigen::MatrixXd(resamples, d));
  std::vector<Eigen::MatrixXd> total_draws(defined.size(), Eigen::MatrixXd(resamples, d));
  SplitMix64 rng(options.seed);
  constexpr int kBatch = 64;
  for (int start = 0; start < resamples; start += kBatch) {
    const int rows = std::min(kBatch, resamples - start);
    Eigen::MatrixXd w = Eigen::MatrixXd::Zero(rows, n);
    for (int r = 0; r < rows; ++r)
      for (Eigen::Index j = 0; j < n; ++j) w(r, static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(n)))) += 1.0;
    const Eigen::MatrixXd sums = w * terms;
    for (Eigen::Index m = 0; m < outputs_defined; ++m)
      for (int r = 0; r < rows; ++r) {
        double variance = 0.0;
        Eigen::RowVectorXd first(d), total(d);
        estimates(sums.row(r).segment(m * k, k), d, n_d, variance, first, total);
        // A resample that drew only points of one value has no variance: its estimates are
        // undefined, left out of the intervals and counted.
        auto& r_out = out[static_cast<std::size_t>(defined[static_cast<std::size_t>(m)])];
        if (!(variance > 1e-24 * r_out.variance)) {
          ++r_out.degenerate_resamples;
          first.setConstant(std::numeric_limits<double>::quiet_NaN());
          total.setConstant(std::numeric_limits<double>::quiet_NaN());
        }
        first_draws[static_cast<std::size_t>(m)].row(start + r) = first;
        total_draws[static_cast<std::size_t>(m)].row(start + r) = total;
      }
  }
  const double lo_q = 0.5 * (1.0 - options.confidence), hi_q = 1.0 - lo_q;
  const auto interval = [&](const Eigen::MatrixXd& draws, Eigen::VectorXd& low, Eigen::VectorXd& high) {
    low.resize(d);
    high.resize(d);
    for (Eigen::Index i = 0; i < d; ++i) {
      const std::vector<double> x(draws.col(i).data(), draws.col(i).data() + draws.rows());
      low[i] = quantile(x, lo_q);
      high[i] = quantile(x, hi_q);
    }
  };
  for (std::size_t m = 0; m < defined.size(); ++m) {
    auto& r = out[static_cast<std::size_t>(defined[m])];
    interval(first_draws[m], r.first_low, r.first_high);
    interval(total_draws[m], r.total_low, r.total_high);
  }
  return out;
}

}  // namespace hybridsim::sweep
