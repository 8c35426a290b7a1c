#pragma once
/// A `date,value` time series read from a CSV file, linearly interpolated in time; shared by
/// the CSV replay models (price, network).
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace hybridsim::models::bitcoin {

/// A CSV file is malformed; what() is `file:line: message`.
class CsvError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class CsvSeries {
 public:
  struct Point {
    std::int64_t unix_s;
    double value;
    int line;  ///< 1-based line in the file, for messages
  };

  /// Reads `path`: an optional header line, then rows `date,value[,...]` with dates
  /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS][Z]` (UTC), strictly increasing. `column` names the
  /// value column in the header; empty means the second column. Throws CsvError naming
  /// file:line of the first bad row, or the file when it cannot be read or has no rows.
  static CsvSeries load(const std::string& path, const std::string& column = "");

  /// The value at `unix_s`, linearly interpolated between the rows around it; the first/last
  /// value outside the file's range.
  double at(std::int64_t unix_s) const;

  std::int64_t first_unix_s() const { return points_.front().unix_s; }
  std::int64_t last_unix_s() const { return points_.back().unix_s; }
  const std::vector<Point>& points() const { return points_; }
  const std::string& path() const { return path_; }

  /// The first row at or after the row before `from_unix_s` and up to the row after
  /// `to_unix_s` (the rows an interpolation over [from, to] uses) whose value is <= 0;
  /// nullptr when all are positive.
  const Point* first_non_positive(std::int64_t from_unix_s, std::int64_t to_unix_s) const;

 private:
  std::string path_;
  std::vector<Point> points_;
};

}  // namespace hybridsim::models::bitcoin
