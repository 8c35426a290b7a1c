#pragma once
/// The bitcoin block chain as the simulation sees it: height, difficulty and the retarget
/// window, advanced one block at a time by whoever generates block times, under the chain's
/// rules (chain_rules.hpp; Bitcoin Core's by default).
///
/// Retargets follow Bitcoin Core: every 2016 blocks, the timespan of the window is clamped to
/// [T/4, 4T] and the difficulty moves by T / timespan. Core measures from the first to the
/// last block of the window — 2015 intervals, not 2016 (a known off-by-one, kept for
/// consensus). `TimespanRule::kCore2015` reproduces it (the steady-state interval is then
/// 600 × 2016/2015 s); `kFull2016` measures all 2016 intervals (exactly 600 s), for analysis.
/// Under ASERT (asert.hpp) the difficulty moves at every block instead, anchored at the start
/// block (whose parent is taken as 600 s before it, so the next block keeps the start
/// difficulty). Difficulty never falls below the proof-of-work limit, kMinDifficulty.
#include <cstdint>
#include <optional>
#include <vector>

#include "models/bitcoin/chain_rules.hpp"
#include "models/bitcoin/consensus.hpp"
#include "sim/core/time.hpp"

namespace hybridsim::models::bitcoin {

/// What a block changed, for the network-events table.
struct BlockOutcome {
  bool retarget = false;  ///< a 2016-block retarget (never under ASERT, which moves every block)
  bool halving = false;
  double old_difficulty = 0.0;
  double new_difficulty = 0.0;
  sim::SimTime timespan_s = 0;  ///< measured timespan at a retarget (before clamping)
};

class Chain {
 public:
  /// `height` is the last block's height at time `time_s`, 0 <= height <= kMaxStartHeight;
  /// `difficulty` >= kMinDifficulty is in force for the next block. `window_start_time_s` is
  /// the time of the first block of the current retarget window (height − height mod 2016);
  /// without it, the window's earlier blocks are taken as 600 s apart.
  Chain(std::int64_t height, double difficulty, sim::SimTime time_s, const ChainRules& rules,
        std::optional<sim::SimTime> window_start_time_s = std::nullopt);
  /// Core's rules with the given timespan rule.
  Chain(std::int64_t height, double difficulty, sim::SimTime time_s, TimespanRule rule);

  std::int64_t height() const { return height_; }
  double difficulty() const { return difficulty_; }
  std::int64_t subsidy_sat() const { return rules_.subsidy_sat(height_ + 1); }  ///< of the next block
  const ChainRules& rules() const { return rules_; }
  /// Expected hashes to find the next block: D × 2^32.
  double expected_hashes_per_block() const { return difficulty_ * kHashesPerDifficulty; }
  /// Halvings since height 0 that the next block is subject to.
  std::int64_t era() const { return (height_ + 1) / rules_.halving_interval_blocks; }

  /// Appends a block found at `time_s` (>= the previous block's time).
  BlockOutcome add_block(sim::SimTime time_s);

 private:
  std::int64_t height_;
  double difficulty_;
  ChainRules rules_;
  sim::SimTime window_first_time_s_;  // time of the window's first block (Core's reference)
  sim::SimTime previous_last_time_s_;  // time of the block before it (kFull2016's reference)
  sim::SimTime last_block_time_s_;
  // ASERT's anchor: the start block, its parent 600 s before it.
  std::int64_t anchor_height_;
  double anchor_difficulty_;
  sim::SimTime anchor_parent_time_s_;
};

}  // namespace hybridsim::models::bitcoin
