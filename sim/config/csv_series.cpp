#include "sim/config/csv_series.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <system_error>

#include "sim/core/time.hpp"

namespace hybridsim::sim::config {
namespace {

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto comma = line.find(',', start);
    std::string field = line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto b = field.find_first_not_of(" \t\"");
    const auto e = field.find_last_not_of(" \t\"");
    out.push_back(b == std::string::npos ? "" : field.substr(b, e - b + 1));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

enum class ValueParse { kOk, kNotANumber, kNotFinite };

ValueParse parse_value(const std::string& s, double& v) {
  const char* b = s.data();
  const char* e = s.data() + s.size();
  if (b != e && *b == '+') ++b;
  auto [end, ec] = std::from_chars(b, e, v);
  if (ec != std::errc{} || end != e) return ValueParse::kNotANumber;
  return std::isfinite(v) ? ValueParse::kOk : ValueParse::kNotFinite;
}

// "15m", "1h", "90s": the spelling scenario durations use, so messages read like the YAML.
std::string format_duration(std::int64_t s) {
  if (s % sim::kSecondsPerDay == 0) return std::to_string(s / sim::kSecondsPerDay) + "d";
  if (s % sim::kSecondsPerHour == 0) return std::to_string(s / sim::kSecondsPerHour) + "h";
  if (s % sim::kSecondsPerMinute == 0) return std::to_string(s / sim::kSecondsPerMinute) + "m";
  return std::to_string(s) + "s";
}

// The most common spacing between rows (the smallest on a tie), 0 with fewer than two rows.
std::int64_t modal_interval_s(const std::vector<CsvSeries::Point>& points) {
  std::map<std::int64_t, std::size_t> counts;
  for (std::size_t i = 1; i < points.size(); ++i) ++counts[points[i].unix_s - points[i - 1].unix_s];
  std::int64_t best = 0;
  std::size_t best_count = 0;
  for (const auto& [step, n] : counts)
    if (n > best_count) best = step, best_count = n;
  return best;
}

std::size_t find_column(const std::vector<std::string>& header, const std::string& name) {
  return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
}

}  // namespace

CsvSeries CsvSeries::load(const std::string& path, const CsvOptions& options) {
  // An ifstream opens a folder without complaint and reads nothing from it, which would
  // surface as "no data rows": say what is really wrong.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw CsvError(path + ": is a folder, not a CSV file");
  std::ifstream in(path);
  if (!in) throw CsvError(path + ": cannot open the file");
  if (options.spacing == Spacing::kDeclared && options.interval_s <= 0)
    throw std::logic_error("CsvSeries::load: a declared spacing needs interval_s > 0");

  CsvSeries series;
  series.path_ = path;
  series.interpolation_ = options.interpolation;
  std::size_t date_index = 0;
  std::size_t value_index = 1;
  std::string line;
  int line_no = 0;
  bool first = true;
  const auto fail = [&](const std::string& msg) -> void {
    throw CsvError(path + ":" + std::to_string(line_no) + ": " + msg);
  };
  const bool named = !options.value_column.empty() || !options.date_column.empty();
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const auto fields = split_fields(line);
    if (first) {
      first = false;
      const bool header = named ? true : !sim::parse_utc(fields[0]);
      if (header) {
        if (sim::parse_utc(fields[0]))
          fail("column '" + (options.value_column.empty() ? options.date_column : options.value_column) +
               "' was asked for, but the file has no header line");
        if (!options.date_column.empty()) {
          date_index = find_column(fields, options.date_column);
          if (date_index == fields.size()) fail("no column named '" + options.date_column + "' in the header");
        }
        if (!options.value_column.empty()) {
          value_index = find_column(fields, options.value_column);
          if (value_index == fields.size()) fail("no column named '" + options.value_column + "' in the header");
        } else {
          value_index = date_index == 0 ? 1 : 0;
        }
        if (options.dates_only) value_index = date_index;
        if (value_index == date_index && !options.dates_only) fail("column '" + fields[value_index] + "' is the date column");
        continue;
      }
    }
    if (options.dates_only) value_index = date_index;
    const std::size_t needed = std::max(date_index, value_index) + 1;
    if (fields.size() < needed)
      fail("expected at least " + std::to_string(needed) + " fields (date and value), got " +
           std::to_string(fields.size()) + ": '" + line + "'");
    const auto t = sim::parse_utc(fields[date_index]);
    if (!t)
      fail("bad date '" + fields[date_index] +
           "' (expected YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] with an optional Z or UTC offset such as +02:00)");
    double v = 0;
    switch (options.dates_only ? ValueParse::kOk : parse_value(fields[value_index], v)) {
      case ValueParse::kOk: break;
      case ValueParse::kNotANumber: fail("bad value '" + fields[value_index] + "' (expected a finite number)"); break;
      case ValueParse::kNotFinite: fail("value '" + fields[value_index] + "' is not a finite number"); break;
    }
    if (!series.points_.empty()) {
      const Point& prev = series.points_.back();
      if (*t == prev.unix_s)
        fail("date " + fields[date_index] + " repeats the date of line " + std::to_string(prev.line) +
             " (each date must appear once)");
      if (*t < prev.unix_s)
        fail("date " + fields[date_index] + " is before " + sim::format_utc(prev.unix_s) + " UTC on line " +
             std::to_string(prev.line) + " (dates must increase)");
    }
    series.points_.push_back({*t, v, line_no});
  }
  if (series.points_.empty()) throw CsvError(path + ": no data rows");

  if (options.spacing != Spacing::kIrregular) {
    const bool declared = options.spacing == Spacing::kDeclared;
    series.interval_s_ = declared ? options.interval_s : modal_interval_s(series.points_);
    for (std::size_t i = 1; i < series.points_.size(); ++i) {
      const Point& prev = series.points_[i - 1];
      const Point& row = series.points_[i];
      const std::int64_t step = row.unix_s - prev.unix_s;
      if (step > series.interval_s_) {
        line_no = row.line;
        fail("gap of " + format_duration(step) + " after " + sim::format_utc(prev.unix_s) + " UTC on line " +
             std::to_string(prev.line) + "; rows must be at most " + format_duration(series.interval_s_) + " apart (" +
             (declared ? "the declared interval" : "the file's interval, its most common row spacing") + ")");
      }
    }
  }
  return series;
}

std::size_t CsvSeries::rows_at_or_before(std::int64_t unix_s) const {
  const auto it = std::upper_bound(points_.begin(), points_.end(), unix_s,
                                   [](std::int64_t t, const Point& p) { return t < p.unix_s; });
  return static_cast<std::size_t>(it - points_.begin());
}

double CsvSeries::at(std::int64_t unix_s) const {
  const std::size_t n = rows_at_or_before(unix_s);
  if (n == 0) return points_.front().value;
  if (n == points_.size()) return points_.back().value;
  const Point& lo = points_[n - 1];
  if (interpolation_ == Interpolation::kStep || lo.unix_s == unix_s) return lo.value;
  const Point& hi = points_[n];
  const double w = static_cast<double>(unix_s - lo.unix_s) / static_cast<double>(hi.unix_s - lo.unix_s);
  return lo.value + w * (hi.value - lo.value);
}

const CsvSeries::Point* CsvSeries::first_non_positive(std::int64_t from_unix_s, std::int64_t to_unix_s) const {
  for (std::size_t i = 0; i < points_.size(); ++i) {
    const bool after_from = i + 1 == points_.size() || points_[i + 1].unix_s > from_unix_s;
    const bool before_to = i == 0 || points_[i - 1].unix_s < to_unix_s;
    if (after_from && before_to && !(points_[i].value > 0)) return &points_[i];
  }
  return nullptr;
}

}  // namespace hybridsim::sim::config
