#pragma once
/// Random variates that are the same numbers on every standard library and machine.
///
/// The std:: distributions are implementation-defined (libstdc++ and libc++ draw different
/// numbers from the same engine, and some take a varying number of engine outputs), so a
/// scenario's result would depend on the compiler. The engine (mt19937_64) is fully specified
/// by the standard; these functions turn its 64-bit outputs into variates by fixed formulas,
/// each taking a fixed number of engine outputs whatever its parameters, so that a parameter
/// never shifts the draws that follow in a stream (common random numbers).
///
/// | function            | engine outputs | method                                            |
/// |---------------------|----------------|---------------------------------------------------|
/// | uniform_open01      | 1              | top 53 bits, centred in their cell                |
/// | standard_normal     | 2              | Box–Muller, cosine branch                         |
/// | exponential         | 1              | inversion: −mean · ln U                           |
/// | lognormal           | 2              | exp(μ + σ Z)                                      |
/// | poisson             | 1              | inversion of the CDF, summed in log space         |
/// | pick_weighted       | 1              | inversion of the cumulative weights               |
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <vector>

#include "sim/core/rng_streams.hpp"

namespace hybridsim::sim {

/// U ~ Uniform(0, 1), never 0 or 1: the top 53 bits of one engine output, centred in their
/// cell, U = (⌊x / 2^11⌋ + 1/2) · 2^−53. Open at both ends so log(U) is finite.
inline double uniform_open01(Rng& rng) {
  const std::uint64_t bits = rng() >> 11;
  return (static_cast<double>(bits) + 0.5) * 0x1.0p-53;
}

/// Z ~ N(0, 1) by Box–Muller from two uniforms: Z = √(−2 ln U1) · cos(2π U2). Always two
/// engine outputs (the sine partner is discarded rather than cached, so a model's draws per step
/// never depend on how many normals came before).
inline double standard_normal(Rng& rng) {
  const double u1 = uniform_open01(rng);
  const double u2 = uniform_open01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

/// X ~ Exponential with mean `mean` by inversion of a uniform U in (0, 1): X = −mean · ln U.
/// Takes the uniform, not the engine, so a model can draw it every step and use it only
/// when it needs a size (common random numbers).
inline double exponential_by_inversion(double u, double mean) { return -mean * std::log(u); }

/// X ~ Exponential with mean `mean` (one engine output; a mean of 0 gives 0).
inline double exponential(Rng& rng, double mean) { return exponential_by_inversion(uniform_open01(rng), mean); }

/// X ~ LogNormal: ln X ~ N(mu, sigma) (two engine outputs).
inline double lognormal(Rng& rng, double mu, double sigma) { return std::exp(mu + sigma * standard_normal(rng)); }

/// N ~ Poisson(mean) by inverting its CDF at one uniform: the least n with
/// Σ_{k≤n} e^−λ λ^k / k! ≥ U, each term computed in log space (λ up to ~10^6 without
/// underflow of the terms near the mode). One engine output, also when mean ≤ 0 (then 0).
inline long poisson(Rng& rng, double mean) {
  const double u = uniform_open01(rng);
  if (!(mean > 0)) return 0;
  const double log_mean = std::log(mean);
  double cdf = 0.0;
  const long cap = static_cast<long>(mean + 40.0 * std::sqrt(mean) + 40.0);  // beyond it the tail is < 1e-300
  for (long n = 0; n < cap; ++n) {
    cdf += std::exp(-mean + static_cast<double>(n) * log_mean - std::lgamma(static_cast<double>(n) + 1.0));
    if (cdf >= u) return n;
  }
  return cap;
}

/// The index i of a weighted choice: the least i with (w_0 + … + w_i) ≥ U · Σw, for one
/// uniform U. Weights must be ≥ 0 with a positive sum (empty or all-zero: 0). One engine output.
inline std::size_t pick_weighted(Rng& rng, const std::vector<double>& weights) {
  const double u = uniform_open01(rng);
  double total = 0.0;
  for (double w : weights) total += w;
  if (weights.empty() || !(total > 0)) return 0;
  const double target = u * total;
  double sum = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    sum += weights[i];
    if (sum >= target && weights[i] > 0) return i;
  }
  std::size_t last = weights.size() - 1;  // rounding: the last choice with weight
  while (last > 0 && !(weights[last] > 0)) --last;
  return last;
}

}  // namespace hybridsim::sim
