#pragma once
/// One finished member, ready for the writer: its series cut into the file's chunks and
/// compressed (in the worker), its headline figures, and its tables.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/output/dataset.hpp"

namespace hybridsim::sweep {

/// The shape of one series in a sweep file, the same for every member.
struct SeriesShape {
  sim::output::VariableInfo info;
  std::optional<sim::output::Dimension> second;  ///< (run, time, label) when set
  bool integer = false;                          ///< int64, else float64
  std::int64_t chunk_time = 0;                   ///< time stamps per chunk

  std::int64_t labels() const { return second ? static_cast<std::int64_t>(second->labels.size()) : 1; }
  bool operator==(const SeriesShape&) const = default;
};

/// A headline figure of a member (`summary/<key>`).
struct SummaryMetric {
  std::string key, units, description;
  bool operator==(const SummaryMetric&) const = default;
};

/// Most elements in one chunk of a sweep series (as for single runs): a chunk is a
/// stretch of one member's time axis, every label included.
inline constexpr std::int64_t kChunkElements = 64 * 1024;

/// Time stamps per chunk for a series of `time` stamps and `labels` labels.
std::int64_t chunk_time(std::int64_t time, std::int64_t labels);

struct MemberResult {
  std::int64_t index = 0;
  std::string time_units;
  std::vector<std::int64_t> time_s;
  std::vector<SeriesShape> shapes;
  /// Per series, its chunks along time in order, each encoded (chunk_codec.hpp); the last
  /// chunk is padded to full size with the fill value (NaN, or 0 for integers).
  std::vector<std::vector<std::vector<std::uint8_t>>> chunks;
  std::vector<SummaryMetric> metrics;
  std::vector<double> summary;  ///< per metric
  std::vector<sim::output::Table> tables;  ///< every table but the run's `summary`
  std::size_t raw_bytes = 0;  ///< the series' size before compression
};

/// Rows per chunk of a sweep file's table columns.
inline constexpr std::int64_t kTableChunkRows = 1024;

/// Rows per table (by group name).
using TableRows = std::map<std::string, std::int64_t>;

/// One table of a member made ready for the writer on the worker: the columns' whole chunks
/// (those that hold only this member's rows), compressed as the file's filters would, for
/// rows that begin at row `start` of the file's table. The writer stores them as they are
/// (H5Dwrite_chunk) and writes only the rows around them, which share a chunk with the
/// neighbouring members. Made only when `start` is known, i.e. every member before this one
/// has reported its row counts; the writer checks `start` and ignores a table that does not fit.
struct PreparedTable {
  std::string group;
  std::int64_t start = 0;        ///< the file's row where the member's rows begin
  std::int64_t first_chunk = 0;  ///< index of the first whole chunk
  std::int64_t chunks = 0;       ///< whole chunks
  /// Per column, as the file has them (the table's index, `run`, then the table's columns):
  /// the compressed chunks, and the bytes of one element they were cut with; empty (and 0)
  /// for a text column whose width was not known yet, or that has a value wider than it.
  std::vector<std::vector<std::vector<std::uint8_t>>> columns;
  std::vector<std::size_t> element_bytes;
};

/// Widths of a sweep file's fixed-length text columns, by "group/column" (SweepFile).
using TextWidths = std::map<std::string, std::size_t>;

/// Text in a fixed width, NUL-padded, as a sweep file's text columns store it; nullopt if a
/// value is longer than `width` (nothing is ever truncated).
std::optional<std::vector<char>> pack_fixed_width(const std::vector<std::string>& values, std::size_t width);

/// Rows per table of a member.
TableRows table_rows(const MemberResult& r);

/// Prepares the member's tables for rows starting at `starts` (tables not in it are left out),
/// text columns in the `widths` given (those not in it are left to the writer).
std::vector<PreparedTable> prepare_tables(const MemberResult& r, const TableRows& starts,
                                          const TextWidths& widths = {});

/// Cuts and compresses `data` (a member's RunDataset) for the writer. Its `summary` table
/// becomes `metrics`/`summary`; its other tables are kept as they are.
MemberResult encode_member(std::int64_t index, sim::output::RunDataset data);

}  // namespace hybridsim::sweep
