#pragma once
/// ASERT, the difficulty algorithm Bitcoin Cash runs since November 2020 (aserti3-2d; spec
/// "ASERT Difficulty Adjustment Algorithm (aserti3-2d)", freetrader, J. Toomim, C. Culianu,
/// M. Lundeberg, T. Ruck, 2020-08-17, v0.6.3; reference implementation in BCHN `src/pow.cpp`).
///
/// Ideal form: the target of the block after block h is
///
///     target = anchor_target · 2^((Δt − 600·(Δh + 1)) / half_life),
///
/// Δt = time(h) − time(parent of the anchor), Δh = h − height(anchor). The chain is ahead of
/// schedule → the exponent is negative → the target falls (difficulty rises), by half for
/// each half-life ahead. Consensus uses fixed-point integers instead, reproduced exactly here:
///
///     exponent = ((Δt − 600·(Δh + 1)) · 65536) / half_life      (integer division, toward 0)
///     shifts   = exponent >> 16                                   (arithmetic: floor)
///     frac     = exponent − shifts · 65536                        (0 ≤ frac < 65536)
///     factor   = 65536 + ((195766423245049·frac + 971821376·frac² + 5127·frac³ + 2^47) >> 48)
///     target   = (anchor_target · factor · 2^shifts) >> 16
///
/// The cubic approximates 65536·(2^(frac/65536) − 1) to within one unit. Difficulty is
/// inversely proportional to the target, so D = D_anchor · 65536 / (factor · 2^shifts); the
/// final `>> 16` truncation of a 256-bit target (relative 10⁻⁶⁰) is not reproduced.
#include <cstdint>

namespace hybridsim::models::bitcoin {

/// The fixed-point exponent and polynomial factor of aserti3-2d.
struct AsertFactor {
  std::int64_t exponent = 0;  ///< 16.16 fixed point, before splitting
  std::int64_t shifts = 0;    ///< whole powers of two
  std::int64_t factor = 65536;  ///< 65536 · 2^(frac/65536), by the cubic
};

/// `time_delta_s` = Δt, `height_delta` = Δh, `half_life_s` > 0, ideal spacing 600 s.
AsertFactor asert_factor(std::int64_t time_delta_s, std::int64_t height_delta, std::int64_t half_life_s);

/// Difficulty of the block after the current one: D_anchor · 65536 / (factor · 2^shifts).
double asert_difficulty(double anchor_difficulty, std::int64_t time_delta_s, std::int64_t height_delta,
                        std::int64_t half_life_s);

}  // namespace hybridsim::models::bitcoin
