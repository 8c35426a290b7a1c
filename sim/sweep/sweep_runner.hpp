#pragma once
/// Runs a sweep's members on a Boost.Asio thread pool and hands each finished member to the
/// one thread that owns the file (the caller's).
///
/// Workers load, simulate, and cut and compress their member's series (member_result.hpp);
/// the writer stores each member's series at its run index as it arrives, in any order, and
/// commits members (tables, `done`, flush) in index order, holding the tables of members that
/// finish early. So the file is the same whatever the worker count and the finishing order.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "sim/sweep/member_result.hpp"
#include "sim/sweep/sweep_plan.hpp"

namespace hybridsim::sweep {

struct SweepOptions {
  std::filesystem::path output;
  int jobs = 1;
  bool resume = false;        ///< finish the members `output` does not hold yet
  std::int64_t first = 0;     ///< run members [first, last) of the plan
  std::optional<std::int64_t> last;  ///< default: all
  std::FILE* progress = nullptr;     ///< where progress goes (null: nowhere)
  bool terminal = false;             ///< draw a bar (else plain lines)
  std::int64_t shard_index = 0;  ///< --shard i/N: i (1-based); the file records it
  std::int64_t shard_count = 0;  ///< N; 0: not a shard
  /// Test hook: end the process abruptly (std::_Exit, as a kill would) once this many members
  /// have been committed in this invocation. Negative: never.
  std::int64_t abort_after = -1;
  /// HDF5 metadata cache size at which the writer reopens the file (tests set it tiny to
  /// reopen after every member).
  std::size_t cache_limit_bytes = std::size_t{1} << 20;
};

struct SweepStats {
  std::int64_t members = 0;  ///< run now
  std::int64_t skipped = 0;  ///< already in the file (resume)
  double wall_s = 0;
  double simulate_s = 0;  ///< summed over workers: load + run
  double encode_s = 0;    ///< summed over workers: cutting, compressing, journal records
  double write_s = 0;     ///< the writer's busy time
  double simulate_cpu_s = 0;  ///< CPU time of the workers' load + run (thread CPU clocks)
  double encode_cpu_s = 0;    ///< CPU time of cutting, compressing, journal records
  double write_cpu_s = 0;     ///< CPU time of the writer while busy
  std::uint64_t raw_bytes = 0;  ///< series bytes before compression
};

/// Loads every member's scenario (on `jobs` threads) before anything runs. Throws the
/// ScenarioError of the lowest-indexed bad member.
void validate_members(const SweepPlan& plan, int jobs);

/// Where a member's time went (seconds; wall and thread CPU).
struct MemberTiming {
  double simulate_s = 0, encode_s = 0, simulate_cpu_s = 0, encode_cpu_s = 0;
};

/// Runs member `index` of the plan: loads, simulates, cuts and compresses its series.
MemberResult run_member(const SweepPlan& plan, std::int64_t index, MemberTiming& timing);

/// Runs the sweep into options.output. Throws ScenarioError for a bad --resume, and
/// rethrows the first failure of a member (the file then holds the members committed before).
SweepStats run_sweep(const SweepPlan& plan, const SweepOptions& options);

}  // namespace hybridsim::sweep
