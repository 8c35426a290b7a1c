#include "models/bitcoin/chain_checkpoints.hpp"

#include <cmath>
#include <cstdio>

#include "models/bitcoin/consensus.hpp"
#include "sim/core/time.hpp"

namespace hybridsim::models::bitcoin {

double difficulty_from_bits(std::uint32_t bits) {
  int shift = static_cast<int>((bits >> 24) & 0xff);
  double difficulty = static_cast<double>(0x0000ffff) / static_cast<double>(bits & 0x00ffffff);
  for (; shift < 29; ++shift) difficulty *= 256.0;
  for (; shift > 29; --shift) difficulty /= 256.0;
  return difficulty;
}

// Each row is a Bitcoin mainnet block header: its height, nTime and nBits, as
// `bitcoin-cli getblockheader HASH` reports them (any block explorer shows the same). The
// headers at retarget heights (multiples of 2016) are also stored, with their heights, in
// bitcoinj's checkpoint file core/src/main/resources/org.bitcoin.production.checkpoints.txt.
// Every hash below was recomputed from its header (double SHA-256) and meets the header's
// target, so the fields are the block's own.
const std::vector<ChainCheckpoint>& chain_checkpoints() {
  static const std::vector<ChainCheckpoint> table{
      // 0000000000000000002567dc317da20ddb0d7ef922fe1f9c2375671654f9006c, retarget, 2019-02-24 16:33:58
      {564480, 1551026038, 0x172e5b50},
      // 0000000000000000001721f58deb88b0710295a02551f0dde1e2e231a15f1882, retarget, 2019-05-18 08:31:36
      {576576, 1558168296, 0x1729fb45},
      // 000000000000000000024bead8df69990852c202db0e0097c1a12ea637d7e96d, third halving, 2020-05-11 19:23:43,
      // difficulty 16,104,807,485,529.38
      {630000, 1589225023, 0x17117a39},
      // 0000000000000000000afe86c660a568a750c603f72dba13b32abb1f31125188, retarget, 2020-05-20 02:06:56
      {631008, 1589940416, 0x171297f6},
      // 00000000000000000004a6d259923e7eaad54d1ab1796d52c869ab1863191734, retarget, 2020-11-16 17:01:59
      {657216, 1605546119, 0x170ffedd},
      // 0000000000000000000928fb11adc05cb38a614825768c586dc867501af56de1, retarget, 2020-11-29 13:41:45
      {659232, 1606657305, 0x170eb156},
      // 0000000000000000000a8efe0a1e90a140eba888af012c95571367b2ceea50ac, retarget, 2021-06-13 20:07:16
      {687456, 1623614836, 0x170e1ef9},
      // 00000000000000000004288838ebecdcc4c87fb5a9a3c69437c351bb87410d51, retarget, 2021-10-04 23:35:19
      {703584, 1633390519, 0x170e2632},
      // 0000000000000000000d37dfef7fe1c7bd22c893dbe4a94272c8cf556e40be99, retarget, 2021-10-18 20:25:57
      {705600, 1634588757, 0x170e0408},
      // 0000000000000000000a157e538ac130f4e6c7b6822fb74825c66292ccf65f2c, retarget, 2022-02-04 02:34:17
      {721728, 1643942057, 0x170a8bb4},
      // 000000000000000000063060258d0645ed324ff5feab45fbeb7dfe062882e05d, retarget, 2022-02-17 11:14:51
      {723744, 1645096491, 0x170a1078},
      // 0000000000000000000745d7eb5b20176409264bf9ea399d977e24fa3d3186f5, retarget, 2022-06-22 19:18:09
      {741888, 1655925489, 0x170984cc},
      // 00000000000000000001a77e727d194f51e452b237cb6e790922d506c99ce943, retarget, 2023-01-29 06:10:41
      {774144, 1674972641, 0x17072720},
      // 000000000000000000037e587e69ca72844a7f67939b67c4c040ea041403afba, retarget, 2023-02-12 07:52:51
      {776160, 1676188371, 0x17073039},
      // 000000000000000000006d03019345e5619988db8739ea62f1393f6afc0c99a1, retarget, 2023-09-19 09:07:01
      {808416, 1695114421, 0x1704ed7f},
      // 000000000000000000011996808bac907133774cd06fbf2f66c4d79509339d5b, retarget, 2023-12-10 03:57:24
      {820512, 1702180644, 0x17042e95},
      // 000000000000000000001daacd23f9cb40c69ba923085618a5f9dbdd4d97e93a, retarget, 2023-12-23 06:04:24
      {822528, 1703311464, 0x1703e8b3},
      // 0000000000000000000320283a032748cef8227873ff4872689bf23f1cda83a5, fourth halving, 2024-04-20 00:09:27,
      // difficulty 86,388,558,925,171.02
      {840000, 1713571767, 0x17034219},
      // 0000000000000000000152dd9d6059126e4e4dbc2732246bef2b8496ef1d971d, 2024-11-12 13:55:46
      {870000, 1731419746, 0x1702c4e4},
  };
  return table;
}

namespace {

std::int64_t window_of(std::int64_t height) { return height - height % kRetargetIntervalBlocks; }

std::string utc(std::int64_t unix_s) { return sim::format_utc(unix_s); }

// The first block of `height`'s window, if a checkpoint is that block (and is not `height` itself).
std::optional<std::int64_t> window_start_time(std::int64_t height) {
  for (const auto& c : chain_checkpoints())
    if (c.height == window_of(height) && c.height < height) return c.time_unix_s;
  return std::nullopt;
}

}  // namespace

std::optional<ChainStateAt> chain_state_at(std::int64_t unix_s) {
  const auto& t = chain_checkpoints();
  if (unix_s < t.front().time_unix_s) return std::nullopt;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const ChainCheckpoint& a = t[i];
    if (unix_s == a.time_unix_s) {
      ChainStateAt s;
      s.height = a.height;
      s.difficulty = difficulty_from_bits(a.bits);
      s.block_time_unix_s = a.time_unix_s;
      s.window_start_time_unix_s = window_start_time(a.height);
      s.exact = true;
      s.basis = "the checkpoint at height " + std::to_string(a.height);
      return s;
    }
    const bool last = i + 1 == t.size();
    if (!last && unix_s >= t[i + 1].time_unix_s) continue;
    if (last && unix_s > a.time_unix_s + kCheckpointReachDays * 86400) return std::nullopt;
    // Between a and b (or past the last, at the last segment's pace).
    const ChainCheckpoint& p = last ? t[i - 1] : a;
    const ChainCheckpoint& q = last ? a : t[i + 1];
    const std::int64_t blocks = q.height - p.height, seconds = q.time_unix_s - p.time_unix_s;
    ChainStateAt s;
    s.height = a.height + (unix_s - a.time_unix_s) * blocks / seconds;
    s.block_time_unix_s = a.time_unix_s + (s.height - a.height) * seconds / blocks;
    const double d_p = difficulty_from_bits(p.bits), d_q = difficulty_from_bits(q.bits);
    const std::int64_t w = window_of(s.height), w_p = window_of(p.height), w_q = window_of(q.height);
    if (last || w == window_of(a.height)) {
      s.difficulty = difficulty_from_bits(a.bits);
    } else if (w == w_q) {
      s.difficulty = d_q;
    } else {
      s.difficulty = d_p * std::pow(d_q / d_p, static_cast<double>(w - w_p) / static_cast<double>(w_q - w_p));
    }
    s.window_start_time_unix_s = window_start_time(s.height);
    char pace[32];
    std::snprintf(pace, sizeof pace, "%.1f", static_cast<double>(seconds) / static_cast<double>(blocks));
    if (last) {
      s.basis = "extrapolated from the last checkpoint (height " + std::to_string(a.height) + ", " + utc(a.time_unix_s) +
                " UTC) at " + pace + " s a block, its difficulty kept";
    } else {
      s.basis = "interpolated between the checkpoints at heights " + std::to_string(p.height) + " (" +
                utc(p.time_unix_s) + " UTC) and " + std::to_string(q.height) + " (" + utc(q.time_unix_s) +
                " UTC) at their mean " + pace + " s a block";
      s.basis += w == w_p ? ", the difficulty of " + std::to_string(p.height) + "'s retarget window"
                 : w == w_q ? ", the difficulty of " + std::to_string(q.height) + "'s retarget window"
                            : ", the difficulty geometric between theirs";
    }
    return s;
  }
  return std::nullopt;
}

}  // namespace hybridsim::models::bitcoin
