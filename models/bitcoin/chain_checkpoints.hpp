#pragma once
/// Checkpoints of the real chain (height, block time, nBits) and the chain's state at a date
/// read from them, for `world.bitcoin.start_at`.
///
/// At a checkpoint's own time the state is exact: its height and the difficulty its nBits
/// encode. Between two checkpoints a and b it is an estimate:
///
///     height      = h_a + floor((T − t_a) · (h_b − h_a) / (t_b − t_a))   (their mean block interval)
///     block time  = t_a + floor((height − h_a) · (t_b − t_a) / (h_b − h_a))
///     difficulty  = D_a if height is in a's retarget window (height − height mod 2016),
///                   D_b if in b's, else D_a · (D_b / D_a)^((w − w_a) / (w_b − w_a)),
///                   w the window's first height (geometric in height, constant in a window)
///
/// Within a checkpoint's window the difficulty is the real one; the height may be off by the
/// blocks that came faster or slower than the mean (tens of blocks a month). Up to
/// kCheckpointReachDays after the last checkpoint the height is extrapolated at the last
/// segment's mean interval and the difficulty is the last checkpoint's. Before the first
/// checkpoint or later than that: no answer.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hybridsim::models::bitcoin {

struct ChainCheckpoint {
  std::int64_t height = 0;
  std::int64_t time_unix_s = 0;  ///< the header's nTime
  std::uint32_t bits = 0;        ///< the header's nBits (compact target)
};

/// How far after the last checkpoint an estimate is still given, days.
inline constexpr std::int64_t kCheckpointReachDays = 30;

/// Difficulty of a compact target, as Bitcoin Core's GetDifficulty computes it
/// (`src/rpc/blockchain.cpp`): 0xffff / mantissa · 256^(29 − exponent), in doubles.
double difficulty_from_bits(std::uint32_t bits);

/// The table, sorted by height (and time).
const std::vector<ChainCheckpoint>& chain_checkpoints();

struct ChainStateAt {
  std::int64_t height = 0;            ///< the last block at or before the date
  double difficulty = 1.0;            ///< in force for the next block
  std::int64_t block_time_unix_s = 0;  ///< that block's time (estimated unless exact)
  /// Time of the first block of its retarget window, when a checkpoint is that block.
  std::optional<std::int64_t> window_start_time_unix_s;
  bool exact = false;  ///< the date is a checkpoint's own time
  std::string basis;   ///< how it was obtained, for the warning
};

/// The chain's state at `unix_s`; none before the first checkpoint or more than
/// kCheckpointReachDays after the last.
std::optional<ChainStateAt> chain_state_at(std::int64_t unix_s);

}  // namespace hybridsim::models::bitcoin
