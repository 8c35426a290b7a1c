#pragma once
/// The one owner of a sweep's output: the HDF5 file, its resume journal, the order of commits
/// and the progress line. Local runs (sweep_runner.cpp) and MPI runs (mpi_sweep.cpp) feed it
/// finished members in any order; it stores each at its run index, appends it to the journal,
/// and commits members in index order.
///
/// Opening: without --resume, a new file and a new journal. With --resume and a journal of
/// this sweep, the file is rebuilt from the journal (the file itself may have been left
/// unreadable by a kill inside an HDF5 flush) and only the members the journal lacks run.
/// With --resume and no journal (a sweep that finished, or one from before journals), the
/// file's own `done` is trusted.
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "sim/sweep/member_result.hpp"
#include "sim/sweep/progress.hpp"
#include "sim/sweep/sweep_file.hpp"
#include "sim/sweep/sweep_journal.hpp"
#include "sim/sweep/sweep_plan.hpp"
#include "sim/sweep/sweep_runner.hpp"

namespace hybridsim::sweep {

class SweepWriter {
 public:
  SweepWriter(const SweepPlan& plan, const SweepOptions& options);

  /// The members to simulate now, in index order.
  const std::vector<std::int64_t>& todo() const { return todo_; }
  /// Stores a finished member (any order) and commits every member that is next in line.
  /// `journal_record` is its SweepJournal::record(), built on the worker; empty: built here.
  /// `tables`: its tables prepared on the worker (prepare_tables), if it could.
  void accept(MemberResult r, std::vector<std::uint8_t> journal_record = {}, std::vector<PreparedTable> tables = {});

  /// What workers need to prepare tables (prepare_tables): the members still to commit in
  /// order, the row counts of those already here (rebuilt from the journal), and the rows each
  /// table has in the file now. Call before the workers start.
  struct RowPlan {
    std::vector<std::int64_t> order;
    std::map<std::int64_t, TableRows> known;
    TableRows file_rows;
  };
  RowPlan row_plan() const;
  /// The widths of the file's table text columns, once its tables exist (the first commit).
  std::optional<TextWidths> text_widths() const;
  /// Every member of the range is committed.
  bool complete() const { return next_ == order_.size(); }
  /// Closes the file and deletes the journal (call once complete()).
  void finish();

  std::int64_t skipped() const { return skipped_; }
  std::uint64_t raw_bytes() const { return raw_bytes_; }

 private:
  struct Pending {
    MemberResult member;
    std::vector<PreparedTable> tables;
  };
  void store(MemberResult r, std::vector<PreparedTable> tables);
  void drain();

  const SweepOptions& options_;
  std::optional<SweepFile> file_;
  SweepJournal journal_;
  std::vector<std::int64_t> order_;  ///< members of the range not in the file when opened
  std::vector<std::int64_t> todo_;   ///< of those, the ones the journal lacks
  std::vector<std::uint8_t> replayed_;
  std::size_t next_ = 0;  ///< order_[next_] is the next member to commit
  std::map<std::int64_t, Pending> waiting_;  ///< series written, commit pending
  std::int64_t skipped_ = 0, committed_now_ = 0;
  std::uint64_t raw_bytes_ = 0;
  std::optional<Progress> progress_;
};

}  // namespace hybridsim::sweep
