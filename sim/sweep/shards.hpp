#pragma once
/// Shards: `hybridsim sweep ... --shard i/N` runs the i-th of N contiguous ranges of the
/// members into a file of its own (the sweep file of all members, holding only its own);
/// `hybridsim merge` puts N such files back together into the file a local run writes.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hybridsim::sweep {

struct Shard {
  std::int64_t index = 0;  ///< i, 1-based
  std::int64_t count = 0;  ///< N
};

/// Parses `i/N` (the text of --shard). Throws ScenarioError: not `i/N`, N < 1, i outside 1..N,
/// or N above `members` (every shard must hold at least one member).
Shard parse_shard(const std::string& text, std::int64_t members);

/// Members [first, last) of shard i of N: the i-th of N near-equal contiguous ranges,
/// [floor((i-1)·M/N), floor(i·M/N)).
std::pair<std::int64_t, std::int64_t> shard_range(std::int64_t members, const Shard& shard);

/// The shard a sweep file records (its `shard_*` attributes); nullopt for a whole sweep's file
/// or a file that does not open.
std::optional<Shard> recorded_shard(const std::filesystem::path& path);
/// Whether `path` is an HDF5 file that opens.
bool opens_as_hdf5(const std::filesystem::path& path);

/// Checks that `shards` are the N complete shards of one sweep (same sweep hash, member
/// count and N; each shard once; none missing) and writes `output`, whose datasets equal a
/// local run's: shard 1's file, then every other shard's series chunks (copied as they are
/// stored), summary values, `done` and table rows, in shard order. Throws ScenarioError (and
/// writes nothing) when they do not fit together. Returns the number of members.
std::int64_t merge_shards(const std::filesystem::path& output, const std::vector<std::filesystem::path>& shards);

}  // namespace hybridsim::sweep
