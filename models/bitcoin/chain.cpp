#include "models/bitcoin/chain.hpp"

#include <stdexcept>

namespace hybridsim::models::bitcoin {

Chain::Chain(std::int64_t height, double difficulty, sim::SimTime time_s, TimespanRule rule)
    : height_(height), difficulty_(difficulty), rule_(rule), last_block_time_s_(time_s) {
  if (height < 0) throw std::invalid_argument("start height must be >= 0");
  if (!(difficulty > 0)) throw std::invalid_argument("start difficulty must be > 0");
  // Windows start at heights that are multiples of 2016; earlier blocks of the current
  // window are taken as 600 s apart.
  const std::int64_t into_window = height % kRetargetIntervalBlocks;
  window_first_time_s_ = time_s - into_window * kTargetSpacingS;
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
  out.halving = height_ % kHalvingIntervalBlocks == 0;
  // Core computes the target of block h (h a multiple of 2016) from blocks h-2016 .. h-1,
  // i.e. as soon as the window's last block is known.
  if ((height_ + 1) % kRetargetIntervalBlocks == 0) {
    out.retarget = true;
    out.timespan_s = time_s - (rule_ == TimespanRule::kCore2015 ? window_first_time_s_ : previous_last_time_s_);
    out.old_difficulty = difficulty_;
    difficulty_ = retarget_difficulty(difficulty_, out.timespan_s);
    out.new_difficulty = difficulty_;
  }
  return out;
}

}  // namespace hybridsim::models::bitcoin
