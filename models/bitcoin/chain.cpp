#include "models/bitcoin/chain.hpp"

#include <algorithm>
#include <stdexcept>

#include "models/bitcoin/asert.hpp"

namespace hybridsim::models::bitcoin {

Chain::Chain(std::int64_t height, double difficulty, sim::SimTime time_s, TimespanRule rule)
    : Chain(height, difficulty, time_s, [rule] {
        ChainRules r;
        r.timespan_rule = rule;
        return r;
      }()) {}

Chain::Chain(std::int64_t height, double difficulty, sim::SimTime time_s, const ChainRules& rules,
             std::optional<sim::SimTime> window_start_time_s)
    : height_(height),
      difficulty_(difficulty),
      rules_(rules),
      last_block_time_s_(time_s),
      anchor_height_(height),
      anchor_difficulty_(difficulty),
      anchor_parent_time_s_(time_s - kTargetSpacingS) {
  if (height < 0 || height > kMaxStartHeight) throw std::invalid_argument("start height must be in [0, 10^12]");
  if (!(difficulty >= kMinDifficulty)) throw std::invalid_argument("start difficulty must be >= 1 (the proof-of-work limit)");
  if (rules.halving_interval_blocks <= 0) throw std::invalid_argument("halving interval must be > 0");
  if (rules.initial_subsidy_sat < 0 || rules.tail_emission_sat < 0) throw std::invalid_argument("subsidies must be >= 0");
  if (rules.asert_half_life_s <= 0) throw std::invalid_argument("ASERT half-life must be > 0");
  // Windows start at heights that are multiples of 2016; without the window's start time its
  // earlier blocks are taken as 600 s apart.
  const std::int64_t into_window = height % kRetargetIntervalBlocks;
  if (window_start_time_s && *window_start_time_s > time_s)
    throw std::invalid_argument("window start time must not be after the start block");
  if (window_start_time_s && into_window == 0 && *window_start_time_s != time_s)
    throw std::invalid_argument("the start block opens its window: the window start time is its own time");
  window_first_time_s_ = window_start_time_s.value_or(time_s - into_window * kTargetSpacingS);
  previous_last_time_s_ = window_first_time_s_ - kTargetSpacingS;
}

BlockOutcome Chain::add_block(sim::SimTime time_s) {
  if (time_s < last_block_time_s_) throw std::logic_error("blocks must be added in time order");
  BlockOutcome out;
  ++height_;
  if (height_ % kRetargetIntervalBlocks == 0) {
    previous_last_time_s_ = last_block_time_s_;
    window_first_time_s_ = time_s;
  }
  last_block_time_s_ = time_s;
  out.halving = height_ % rules_.halving_interval_blocks == 0;
  if (rules_.algorithm == DifficultyAlgorithm::kAsert) {
    // The target of the next block, from this block's time and height against the anchor.
    difficulty_ = std::max(kMinDifficulty, asert_difficulty(anchor_difficulty_, time_s - anchor_parent_time_s_,
                                                            height_ - anchor_height_, rules_.asert_half_life_s));
    return out;
  }
  // Core computes the target of block h (h a multiple of 2016) from blocks h-2016 .. h-1,
  // i.e. as soon as the window's last block is known.
  if ((height_ + 1) % kRetargetIntervalBlocks == 0) {
    out.retarget = true;
    out.timespan_s =
        time_s - (rules_.timespan_rule == TimespanRule::kCore2015 ? window_first_time_s_ : previous_last_time_s_);
    out.old_difficulty = difficulty_;
    // Core clamps the new target to powLimit: difficulty never below 1.
    difficulty_ = std::max(kMinDifficulty, retarget_difficulty(difficulty_, out.timespan_s));
    out.new_difficulty = difficulty_;
  }
  return out;
}

}  // namespace hybridsim::models::bitcoin
