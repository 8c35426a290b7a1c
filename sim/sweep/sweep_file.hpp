#pragma once
/// The sweep's HDF5 file, owned by one writer thread (the HDF5 library is not thread-safe).
///
/// Layout (docs/output.md): `run` and `time` dimensions; every series as (run, time) or
/// (run, time, label); the member table (`seed`, `replication`, `point`, one coordinate per
/// swept key) as coordinates on `run`; `done` (run) marks complete members; groups `params`
/// and `summary` over their own `run`; tables as groups with a `run` column.
///
/// Crash safety: the file is created with every per-member index row already written, and
/// with HDF5's metadata evictions off and free-space reuse off (every new or rewritten chunk
/// goes to the end of the file). Metadata therefore reaches the disk only in commit()'s
/// H5Fflush, after the member's data: a kill leaves the file as of the last commit plus
/// unreferenced bytes at its end, and `done` says which members it holds. The file is created
/// as `<path>.tmp-<pid>` and renamed to `path` once the first member's layout is flushed, so the
/// largest flush never happens at `path`. With evictions off the cache only grows, so after a
/// commit that leaves it above 1 MiB (as HDF5 reports it; it holds about ten times that in
/// memory) the writer closes and reopens the file: memory stays flat in the member count.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "sim/output/hdf5_file.hpp"
#include "sim/sweep/member_result.hpp"
#include "sim/sweep/sweep_plan.hpp"

namespace hybridsim::sweep {

class SweepFile {
 public:
  /// Creates `path` (replacing a file there) for all of `plan`'s members.
  static SweepFile create(const std::filesystem::path& path, const SweepPlan& plan);
  /// Opens `path` to finish it. Throws ScenarioError, saying why, if it is not a sweep file
  /// or holds another sweep (its hash differs from `plan`'s).
  static SweepFile resume(const std::filesystem::path& path, const SweepPlan& plan);

  SweepFile(SweepFile&&) noexcept;
  SweepFile& operator=(SweepFile&&) noexcept;
  ~SweepFile();

  /// Per member: 1 if it is in the file.
  const std::vector<std::uint8_t>& done() const { return done_; }

  /// Stores the member's series chunks and summary at its run index (any order). The first
  /// member creates the series; later ones must have the same shapes (else std::runtime_error).
  void write_series(const MemberResult& r);
  /// Appends the member's table rows, marks it done and flushes. Members must be committed
  /// in increasing index order (tables keep run order); write_series must come first.
  /// `prepared`: the member's tables with their whole chunks compressed on the worker; a
  /// table whose `start` is not the file's row count is written as if not prepared.
  void commit(const MemberResult& r, const std::vector<PreparedTable>& prepared = {});
  /// Rows in each of the file's tables now.
  TableRows table_rows() const;
  /// The widths of the tables' text columns (fixed when a table is created).
  TextWidths text_widths() const;
  /// Flushes and closes; throws on failure.
  void close();
  /// Marks the file as shard `index` of `count` (1-based), holding members [first, last):
  /// root attributes `shard_index`, `shard_count`, `shard_first`, `shard_last` (hybridsim merge).
  void write_shard(std::int64_t index, std::int64_t count, std::int64_t first, std::int64_t last);
  /// The metadata-cache size above which commit() reopens the file (default 1 MiB).
  void set_cache_limit(std::size_t bytes) { cache_limit_ = bytes; }

 private:
  SweepFile() = default;
  void create_layout(const MemberResult& r);
  void open_layout(const MemberResult& r);
  void append_table(const sim::output::Table& table, std::int64_t run, const PreparedTable* prepared);
  void reopen();
  /// The file's tables: groups other than params and summary that have a `run` column.
  std::vector<std::pair<std::string, sim::output::hdf5::Handle>> table_groups() const;

  std::filesystem::path path_;        ///< where the file is now
  std::filesystem::path final_path_;  ///< where it goes once its layout is written (empty: there)
  std::size_t cache_limit_ = std::size_t{1} << 20;
  sim::output::hdf5::Handle file_;
  std::int64_t members_ = 0;
  std::vector<std::uint8_t> done_;
  bool layout_ = false;
  std::vector<SeriesShape> shapes_;
  std::vector<SummaryMetric> metrics_;
  std::vector<std::int64_t> time_s_;
  std::vector<sim::output::hdf5::Handle> series_;
  std::vector<sim::output::hdf5::Handle> summary_;
  sim::output::hdf5::Handle done_set_;
  std::vector<std::string> coordinates_;  // names of the run coordinates, for series' `coordinates`
  std::size_t swept_text_bytes_ = 0;      ///< the longest text value of a swept key (any member)
};

}  // namespace hybridsim::sweep
