#pragma once
/// Bitcoin's consensus rules that drive mining revenue, as Bitcoin Core implements them.
///
/// Sources: Bitcoin Core `src/validation.cpp` (GetBlockSubsidy), `src/pow.cpp`
/// (CalculateNextWorkRequired), `src/kernel/chainparams.cpp` (mainnet parameters).
#include <cstdint>

namespace hybridsim::models::bitcoin {

inline constexpr std::int64_t kCoinSat = 100'000'000;            ///< satoshis per BTC (COIN)
inline constexpr std::int64_t kHalvingIntervalBlocks = 210'000;  ///< nSubsidyHalvingInterval
inline constexpr std::int64_t kRetargetIntervalBlocks = 2016;    ///< DifficultyAdjustmentInterval
inline constexpr std::int64_t kTargetSpacingS = 600;             ///< nPowTargetSpacing
inline constexpr std::int64_t kTargetTimespanS = 1'209'600;      ///< nPowTargetTimespan: two weeks
/// Expected hashes per block at difficulty 1: 2^32 (difficulty-1 target ≈ 2^224).
inline constexpr double kHashesPerDifficulty = 4294967296.0;

/// Block subsidy in satoshis at `height`:
/// `halvings = height / 210000; halvings >= 64 ? 0 : (50 * COIN) >> halvings`.
constexpr std::int64_t block_subsidy_sat(std::int64_t height) {
  const std::int64_t halvings = height / kHalvingIntervalBlocks;
  if (halvings >= 64) return 0;  // a shift by >= 64 is undefined in C++; Core special-cases it
  return (50 * kCoinSat) >> halvings;
}

/// Core's clamp of a measured retarget timespan to [T/4, 4T].
constexpr std::int64_t clamp_timespan_s(std::int64_t actual_s) {
  if (actual_s < kTargetTimespanS / 4) return kTargetTimespanS / 4;
  if (actual_s > kTargetTimespanS * 4) return kTargetTimespanS * 4;
  return actual_s;
}

/// The factor by which the target is multiplied at a retarget: clamp(actual) / T.
/// Difficulty is inversely proportional to the target, so it moves by T / clamp(actual).
/// Core works on the 256-bit target with compact-encoding rounding (~1e-7 relative); we
/// keep difficulty as a double, which is exact to that precision and never accumulates.
constexpr double retarget_target_factor(std::int64_t actual_s) {
  return static_cast<double>(clamp_timespan_s(actual_s)) / static_cast<double>(kTargetTimespanS);
}

/// The difficulty after a retarget whose measured timespan is `actual_s`.
constexpr double retarget_difficulty(double difficulty, std::int64_t actual_s) {
  return difficulty / retarget_target_factor(actual_s);
}

/// Hashprice in USD per TH/s per day:
/// `86400 × reward_btc × price_usd / (D × 2^32) × 10^12` — what one TH/s earns in a day at
/// the current difficulty, reward (subsidy + fees) and price.
constexpr double hashprice_usd_per_th_day(double reward_btc, double price_usd, double difficulty) {
  return 86400.0 * reward_btc * price_usd / (difficulty * kHashesPerDifficulty) * 1e12;
}

}  // namespace hybridsim::models::bitcoin
