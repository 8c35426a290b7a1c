#pragma once
/// The chain's consensus rules as a choice: Bitcoin Core's mainnet rules are the exact
/// default, and a "what if" sweep may vary the halving interval, the initial subsidy, a tail
/// emission and the difficulty algorithm like any other key.
///
/// Subsidy of the block at height h, in integer satoshis (Core's `GetBlockSubsidy` with the
/// interval I and initial subsidy S₀ as parameters, and a floor E, the tail emission):
///
///     halvings = h / I
///     base     = halvings >= 64 ? 0 : S₀ >> halvings
///     subsidy  = max(base, E)
///
/// With I = 210,000, S₀ = 50·10⁸ sat and E = 0 this is Core's rule, bit for bit (the tests
/// compare it with consensus.hpp's `block_subsidy_sat` at every era boundary). A tail emission
/// is Monero's design (0.6 XMR a block forever from 2022); here it is any number of satoshis.
///
/// Difficulty: Core's retarget every 2016 blocks (`kCoreRetarget`, with its timespan rule), or
/// ASERT as Bitcoin Cash runs it (`kAsert`, aserti3-2d with half-life `asert_half_life_s`;
/// see asert.hpp). Under either, difficulty never falls below Core's proof-of-work limit,
/// difficulty 1 (`powLimit`, compact 0x1d00ffff: `if (bnNew > bnPowLimit) bnNew = bnPowLimit`).
#include <cstdint>

#include "models/bitcoin/consensus.hpp"
#include "sim/core/time.hpp"

namespace hybridsim::models::bitcoin {

enum class TimespanRule { kCore2015, kFull2016 };
enum class DifficultyAlgorithm { kCoreRetarget, kAsert };

/// Lowest difficulty consensus allows: the proof-of-work limit (Core `src/pow.cpp`,
/// `CalculateNextWorkRequired` clamps the target to `powLimit`; mainnet's limit is difficulty 1).
inline constexpr double kMinDifficulty = 1.0;

/// Largest start height accepted: 10^12 blocks (19 million years at 600 s). Heights, eras and
/// every block count of a run then stay far inside int64, and `halvings` far inside a shift.
inline constexpr std::int64_t kMaxStartHeight = 1'000'000'000'000;

struct ChainRules {
  std::int64_t halving_interval_blocks = kHalvingIntervalBlocks;  ///< I, > 0
  std::int64_t initial_subsidy_sat = 50 * kCoinSat;                ///< S₀, >= 0
  std::int64_t tail_emission_sat = 0;                              ///< E, >= 0
  DifficultyAlgorithm algorithm = DifficultyAlgorithm::kCoreRetarget;
  TimespanRule timespan_rule = TimespanRule::kCore2015;            ///< for kCoreRetarget
  sim::SimTime asert_half_life_s = 172'800;                        ///< BCH mainnet: 2 days

  /// Subsidy of the block at `height`, satoshis (see above).
  constexpr std::int64_t subsidy_sat(std::int64_t height) const {
    const std::int64_t halvings = height / halving_interval_blocks;
    // A shift by >= 64 is undefined in C++; Core special-cases it.
    const std::int64_t base = halvings >= 64 ? 0 : initial_subsidy_sat >> halvings;
    return base > tail_emission_sat ? base : tail_emission_sat;
  }
  /// True for Core's mainnet rules (the default).
  bool is_core() const {
    return halving_interval_blocks == kHalvingIntervalBlocks && initial_subsidy_sat == 50 * kCoinSat &&
           tail_emission_sat == 0 && algorithm == DifficultyAlgorithm::kCoreRetarget;
  }
};

}  // namespace hybridsim::models::bitcoin
