#pragma once
/// Random variates that are the same numbers on every standard library.
///
/// std::normal_distribution and std::exponential_distribution are implementation-defined
/// (libstdc++ and libc++ draw different numbers from the same engine), so a scenario's result
/// would depend on the compiler. The engine (mt19937_64) is fully specified; these turn its
/// 64-bit outputs into variates by fixed formulas, each using a fixed number of engine outputs.
#include <cmath>
#include <cstdint>
#include <numbers>

#include "sim/core/rng_streams.hpp"

namespace hybridsim::models::power {

/// U ~ Uniform(0, 1), never 0 or 1: the top 53 bits of one engine output, centred in their
/// cell, U = (⌊x / 2^11⌋ + 1/2) · 2^−53. Open at both ends so log(U) is finite.
inline double uniform_open01(sim::Rng& rng) {
  const std::uint64_t bits = rng() >> 11;
  return (static_cast<double>(bits) + 0.5) * 0x1.0p-53;
}

/// Z ~ N(0, 1) by Box–Muller from two uniforms: Z = √(−2 ln U1) · cos(2π U2). Always two
/// engine outputs (the sine partner is discarded rather than cached, so a model's draws per step
/// never depend on how many normals came before).
inline double standard_normal(sim::Rng& rng) {
  const double u1 = uniform_open01(rng);
  const double u2 = uniform_open01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

/// X ~ Exponential with mean `mean` by inversion of a uniform U in (0, 1): X = −mean · ln U.
/// Takes the uniform, not the engine, so a model can draw it every step and use it only
/// when it needs a size (common random numbers).
inline double exponential_by_inversion(double u, double mean) { return -mean * std::log(u); }

}  // namespace hybridsim::models::power
