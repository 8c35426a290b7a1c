// Sobol' indices (sweep/sensitivity) against functions whose indices are known in closed form,
// evaluated on the project's own Saltelli design (sweep/design): Ishigami's function and a
// linear model; then the layout of replicated members, and undefined indices.
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>

#include "sim/sweep/design.hpp"
#include "sim/sweep/seeds.hpp"
#include "sim/sweep/sensitivity.hpp"

using namespace hybridsim::sweep;

namespace {

/// The design's per-row columns as a sobol sweep file stores them (one replication).
SaltelliLayout layout_of(const SaltelliDesign& s, int d) {
  std::vector<std::int64_t> block(s.block.begin(), s.block.end());
  std::vector<std::int64_t> replication(block.size(), 0);
  return SaltelliLayout::from_columns(d, 1, block, s.sample, replication);
}

/// f evaluated on every row of the design, the unit cube mapped onto [low, high] per column.
template <typename F>
SaltelliOutputs evaluate(std::int64_t n, int d, const Eigen::VectorXd& low, const Eigen::VectorXd& high, F f) {
  const SaltelliDesign s = saltelli_design(n, d);
  Eigen::VectorXd y(s.points.rows());
  for (Eigen::Index r = 0; r < s.points.rows(); ++r) {
    const Eigen::VectorXd x = low.array() + s.points.row(r).transpose().array() * (high - low).array();
    y[r] = f(x);
  }
  return arrange(layout_of(s, d), y);
}

// Ishigami & Homma (1990), "An importance quantification technique in uncertainty analysis
// for computer models", Proc. ISUMA '90, 398–403: f = sin x1 + a sin² x2 + b x3⁴ sin x1 with
// x_i ~ U(−π, π). Its variance decomposition (Sobol' & Levitan 1999, Comput. Phys. Commun.
// 117:52–61; Saltelli et al. 2008, "Global Sensitivity Analysis. The Primer", §4.9), from
// E sin² = 1/2, Var sin² = 1/8, E x⁴ = π⁴/5, E x⁸ = π⁸/9 for x ~ U(−π, π):
//   V1 = ½ (1 + b π⁴/5)²,  V2 = a²/8,  V3 = 0,  V13 = b² π⁸ (1/18 − 1/50),  others 0,
//   V = a²/8 + b π⁴/5 + b² π⁸/18 + ½ = V1 + V2 + V13.
constexpr double kA = 7.0, kB = 0.1;

struct Analytic {
  double first[3], total[3];
};

Analytic ishigami_indices() {
  const double pi = std::numbers::pi;
  const double pi4 = std::pow(pi, 4), pi8 = std::pow(pi, 8);
  const double v1 = 0.5 * std::pow(1 + kB * pi4 / 5, 2);
  const double v2 = kA * kA / 8;
  const double v13 = kB * kB * pi8 * (1.0 / 18 - 1.0 / 50);
  const double v = kA * kA / 8 + kB * pi4 / 5 + kB * kB * pi8 / 18 + 0.5;
  REQUIRE(v == Approx(v1 + v2 + v13).epsilon(1e-12));  // the two forms of V agree
  return {{v1 / v, v2 / v, 0.0}, {(v1 + v13) / v, v2 / v, v13 / v}};
}

SobolIndices ishigami(std::int64_t n, const BootstrapOptions& options = {}) {
  const double pi = std::numbers::pi;
  const auto out = evaluate(n, 3, Eigen::Vector3d::Constant(-pi), Eigen::Vector3d::Constant(pi), [](const Eigen::VectorXd& x) {
    return std::sin(x[0]) + kA * std::pow(std::sin(x[1]), 2) + kB * std::pow(x[2], 4) * std::sin(x[0]);
  });
  return sobol_indices({out}, options).front();
}

}  // namespace

TEST_CASE("Ishigami: the analytic indices lie in their bootstrap intervals", "[sweep][sensitivity]") {
  const Analytic exact = ishigami_indices();
  // The published values (Saltelli et al. 2008, Primer, §4.9), to 4 digits.
  CHECK(exact.first[0] == Approx(0.3139).margin(5e-5));
  CHECK(exact.first[1] == Approx(0.4424).margin(5e-5));
  CHECK(exact.total[0] == Approx(0.5576).margin(5e-5));
  CHECK(exact.total[2] == Approx(0.2437).margin(5e-5));
  for (const std::int64_t n : {1024, 8192}) {
    INFO("N = " << n);
    const SobolIndices s = ishigami(n);
    REQUIRE(s.undefined.empty());
    for (int i = 0; i < 3; ++i) {
      INFO("x" << i + 1);
      CHECK(s.first_low[i] <= exact.first[i]);
      CHECK(exact.first[i] <= s.first_high[i]);
      CHECK(s.total_low[i] <= exact.total[i]);
      CHECK(exact.total[i] <= s.total_high[i]);
      CHECK(s.first[i] == Approx(exact.first[i]).margin(0.05));
      CHECK(s.total[i] == Approx(exact.total[i]).margin(0.05));
    }
  }
}

TEST_CASE("Ishigami: intervals shrink as N grows, about as 1/sqrt(N)", "[sweep][sensitivity]") {
  const SobolIndices small = ishigami(256), large = ishigami(4096);
  for (int i = 0; i < 3; ++i) {
    INFO("x" << i + 1);
    // 16 times the samples: widths should fall about 4-fold; ask for at least 2-fold.
    CHECK(large.first_high[i] - large.first_low[i] < 0.5 * (small.first_high[i] - small.first_low[i]));
    CHECK(large.total_high[i] - large.total_low[i] < 0.5 * (small.total_high[i] - small.total_low[i]));
  }
}

TEST_CASE("the bootstrap is reproducible from its seed", "[sweep][sensitivity]") {
  const SobolIndices a = ishigami(256), b = ishigami(256);
  BootstrapOptions other;
  other.seed = 7;
  const SobolIndices c = ishigami(256, other);
  CHECK(a.first_low == b.first_low);
  CHECK(a.total_high == b.total_high);
  CHECK(a.first_low != c.first_low);
  CHECK(a.first == c.first);  // the point estimates do not depend on the resamples
}

TEST_CASE("a linear model: S_i = ST_i = c_i² Var x_i / Σ_k c_k² Var x_k", "[sweep][sensitivity]") {
  // y = Σ c_i x_i with independent x_i ~ U(low_i, high_i): Var x_i = (high_i − low_i)²/12, no
  // interactions, so first and total indices coincide. x4 has no effect (c = 0).
  const Eigen::Vector4d c(2.0, -1.0, 0.5, 0.0);
  const Eigen::Vector4d low(0.0, -3.0, 10.0, 0.0), high(1.0, 3.0, 14.0, 5.0);
  const Eigen::Vector4d contribution = (c.array() * (high - low).array()).square() / 12.0;
  const Eigen::Vector4d exact = contribution / contribution.sum();
  const auto out = evaluate(2048, 4, low, high, [&](const Eigen::VectorXd& x) { return c.dot(x); });
  const SobolIndices s = sobol_indices({out}, {}).front();
  REQUIRE(s.undefined.empty());
  CHECK(s.variance == Approx(contribution.sum()).epsilon(0.02));
  for (int i = 0; i < 4; ++i) {
    INFO("x" << i + 1 << ": exact " << exact[i]);
    CHECK(s.first_low[i] <= exact[i] + 1e-12);
    CHECK(exact[i] <= s.first_high[i] + 1e-12);
    CHECK(s.total_low[i] <= exact[i] + 1e-12);
    CHECK(exact[i] <= s.total_high[i] + 1e-12);
    CHECK(s.first[i] == Approx(exact[i]).margin(0.02));
    CHECK(s.total[i] == Approx(exact[i]).margin(0.02));
  }
  // A key without effect leaves f(A) and f(A_B^4) equal bit for bit: its total index is 0.
  CHECK(s.total[3] == 0.0);
  CHECK(s.total_high[3] == 0.0);
}

TEST_CASE("replicated members are found by their columns and averaged per design point", "[sweep][sensitivity]") {
  // d = 1, N = 2, R = 2: 12 runs, listed in a scrambled order.
  const int d = 1;
  std::vector<std::int64_t> block, sample, replication;
  Eigen::VectorXd y(12);
  const std::int64_t order[12] = {5, 0, 11, 3, 8, 1, 10, 2, 7, 4, 9, 6};
  for (int run = 0; run < 12; ++run) {
    const std::int64_t slot = order[run];  // (j·3 + b)·2 + r
    replication.push_back(slot % 2);
    block.push_back((slot / 2) % 3);
    sample.push_back(slot / 6);
    y[run] = 100.0 * static_cast<double>(slot / 2) + static_cast<double>(slot % 2);  // point·100 + replication
  }
  const auto layout = SaltelliLayout::from_columns(d, 2, block, sample, replication);
  CHECK(layout.samples == 2);
  CHECK(layout.run(1, 2, 1) == 2);  // slot 11 is run 2
  const SaltelliOutputs o = arrange(layout, y);
  CHECK(o.a[0] == 0.5);      // point 0: (0 + 1)/2
  CHECK(o.ab(0, 0) == 100.5);
  CHECK(o.b[1] == 500.5);    // point 5
  CHECK(o.ab(1, 0) == 400.5);

  auto twice = sample;
  twice[1] = twice[0];
  auto twice_block = block;
  twice_block[1] = twice_block[0];
  auto twice_rep = replication;
  twice_rep[1] = twice_rep[0];
  CHECK_THROWS_AS(SaltelliLayout::from_columns(d, 2, twice_block, twice, twice_rep), std::invalid_argument);
  CHECK_THROWS_AS(SaltelliLayout::from_columns(d, 3, block, sample, replication), std::invalid_argument);
  auto out_of_range = block;
  out_of_range[0] = 3;
  CHECK_THROWS_AS(SaltelliLayout::from_columns(d, 2, out_of_range, sample, replication), std::invalid_argument);
}

TEST_CASE("indices of a constant or non-finite output are undefined, not numbers", "[sweep][sensitivity]") {
  const Eigen::Vector2d low(0, 0), high(1, 1);
  const auto constant = evaluate(1024, 2, low, high, [](const Eigen::VectorXd&) { return 42.0; });
  auto broken = evaluate(1024, 2, low, high, [](const Eigen::VectorXd& x) { return x.sum(); });
  broken.ab(3, 1) = std::nan("");
  const auto fine = evaluate(1024, 2, low, high, [](const Eigen::VectorXd& x) { return x[0] + 2 * x[1]; });
  const auto s = sobol_indices({constant, broken, fine}, {});
  CHECK(s[0].undefined == "constant (42 at every design point)");
  CHECK(s[0].first.size() == 0);
  CHECK(s[1].undefined == "not finite at 1 of the 4096 design points");
  REQUIRE(s[2].undefined.empty());
  CHECK(s[2].first[1] == Approx(0.8).margin(0.05));  // 4/(1+4)
  // Moving only at an A_B^i point leaves A and B without variance.
  auto only_ab = constant;
  only_ab.ab(5, 0) = 43.0;
  // Moving at one A point only: a resample that misses sample 7 has no variance, which
  // happens with probability (1 − 1/N)^N ≈ e^−1.
  auto rare = constant;
  rare.a[7] = 43.0;
  const auto odd = sobol_indices({only_ab, rare}, {});
  CHECK(odd[0].undefined.starts_with("constant over the A and B points (42)"));
  REQUIRE(odd[1].undefined.empty());
  CHECK(odd[1].degenerate_resamples > 300);
  CHECK(odd[1].degenerate_resamples < 440);
  CHECK(std::isfinite(odd[1].total_low[0]));
  CHECK(s[2].degenerate_resamples == 0);
  // An output's indices do not depend on which others are analysed with it.
  const auto alone = sobol_indices({fine}, {}).front();
  for (int i = 0; i < 2; ++i) {
    CHECK(alone.first[i] == Approx(s[2].first[i]).epsilon(1e-9));
    CHECK(alone.first_low[i] == Approx(s[2].first_low[i]).epsilon(1e-9));
    CHECK(alone.total_high[i] == Approx(s[2].total_high[i]).epsilon(1e-9));
  }
}
