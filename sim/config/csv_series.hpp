#pragma once
/// A time series of one value column read from a CSV file, shared by every replay model
/// (BTC price, network hashrate, power price). Model-free: it knows dates and numbers, not
/// what they mean.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace hybridsim::sim::config {

/// A CSV file is malformed; what() is `file:line: what is wrong` (or `file: what is wrong`
/// when the problem is the whole file: it cannot be opened, is a folder, has no data rows).
class CsvError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// How a value is read between two rows at t_i <= t < t_{i+1}.
enum class Interpolation {
  kLinear,  ///< v_i + (v_{i+1} − v_i)(t − t_i)/(t_{i+1} − t_i): a sampled continuous quantity
  kStep,    ///< v_i, held until the next row: an interval's settled price
};

/// Whether consecutive rows may be any distance apart.
enum class Spacing {
  kIrregular,  ///< any increasing dates
  kDeclared,   ///< rows at most `CsvOptions::interval_s` apart; a larger step is a gap (an error)
  kInferred,   ///< as kDeclared, with the interval the file's most common row spacing
};

struct CsvOptions {
  std::string value_column;  ///< header name of the value column; empty: the second column (the first if the date is not)
  std::string date_column;   ///< header name of the date column; empty: the first column
  Interpolation interpolation = Interpolation::kLinear;
  Spacing spacing = Spacing::kIrregular;
  std::int64_t interval_s = 0;  ///< for Spacing::kDeclared, > 0
  bool dates_only = false;      ///< a list of instants: only the date column is read (values are 0)
};

class CsvSeries {
 public:
  struct Point {
    std::int64_t unix_s;
    double value;
    int line;  ///< 1-based line in the file, for messages
  };

  /// Reads `path`: an optional header line (required when a column is chosen by name; else
  /// any first line whose date field is not a date), then rows whose date field is anything
  /// sim::parse_utc reads (`2024-01-01`, `2024-01-01T00:00:00Z`, `2024-01-01 00:00:00+02:00`,
  /// ...), strictly increasing, and whose value field is a finite number. Blank lines are
  /// skipped; quotes and spaces around fields are ignored; extra columns are allowed.
  /// Throws CsvError naming `file:line` of the first bad row (bad date or value, too few
  /// fields, a date repeated or out of order, a gap), or the file (cannot be opened, is a
  /// folder, has no data rows, has no such column).
  static CsvSeries load(const std::string& path, const CsvOptions& options = {});

  /// The value at `unix_s` by the series' interpolation; the first value before the first row
  /// and the last value after the last row.
  double at(std::int64_t unix_s) const;

  /// How many rows are at or before `unix_s`: the row in force at `unix_s` is
  /// points()[n − 1] (none when n = 0) and the next change is at points()[n] (none when n =
  /// points().size()).
  std::size_t rows_at_or_before(std::int64_t unix_s) const;

  std::int64_t first_unix_s() const { return points_.front().unix_s; }
  std::int64_t last_unix_s() const { return points_.back().unix_s; }
  const std::vector<Point>& points() const { return points_; }
  const std::string& path() const { return path_; }
  Interpolation interpolation() const { return interpolation_; }
  /// The declared or inferred row interval, seconds; 0 for an irregular series (or one row).
  std::int64_t interval_s() const { return interval_s_; }

  /// The first row at or after the row before `from_unix_s` and up to the row after
  /// `to_unix_s` (the rows an interpolation over [from, to] uses) whose value is <= 0;
  /// nullptr when all are positive.
  const Point* first_non_positive(std::int64_t from_unix_s, std::int64_t to_unix_s) const;

 private:
  std::string path_;
  std::vector<Point> points_;
  Interpolation interpolation_ = Interpolation::kLinear;
  std::int64_t interval_s_ = 0;
};

}  // namespace hybridsim::sim::config
