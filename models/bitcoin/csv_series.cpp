#include "models/bitcoin/csv_series.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>

#include "sim/core/time.hpp"

namespace hybridsim::models::bitcoin {
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

bool parse_value(const std::string& s, double& v) {
  const char* b = s.data();
  const char* e = s.data() + s.size();
  if (b != e && *b == '+') ++b;
  auto [end, ec] = std::from_chars(b, e, v);
  return ec == std::errc{} && end == e && std::isfinite(v);
}

}  // namespace

CsvSeries CsvSeries::load(const std::string& path, const std::string& column) {
  std::ifstream in(path);
  if (!in) throw CsvError(path + ": cannot open the file");
  CsvSeries series;
  series.path_ = path;
  std::size_t value_index = 1;
  std::string line;
  int line_no = 0;
  bool first = true;
  const auto fail = [&](const std::string& msg) -> void {
    throw CsvError(path + ":" + std::to_string(line_no) + ": " + msg);
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const auto fields = split_fields(line);
    if (first) {
      first = false;
      if (!sim::parse_utc(fields[0])) {  // a header
        if (!column.empty()) {
          const auto it = std::find(fields.begin(), fields.end(), column);
          if (it == fields.end()) fail("no column named '" + column + "' in the header");
          value_index = static_cast<std::size_t>(it - fields.begin());
          if (value_index == 0) fail("column '" + column + "' is the date column");
        }
        continue;
      }
      if (!column.empty()) fail("column '" + column + "' was asked for, but the file has no header line");
    }
    if (fields.size() <= value_index)
      fail("expected 'date,value', got '" + line + "'");
    const auto t = sim::parse_utc(fields[0]);
    if (!t) fail("bad date '" + fields[0] + "' (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)");
    double v = 0;
    if (!parse_value(fields[value_index], v)) fail("bad value '" + fields[value_index] + "' (expected a finite number)");
    if (!series.points_.empty() && *t <= series.points_.back().unix_s)
      fail("date " + fields[0] + " is not after the previous row's (dates must increase)");
    series.points_.push_back({*t, v, line_no});
  }
  if (series.points_.empty()) throw CsvError(path + ": no data rows");
  return series;
}

double CsvSeries::at(std::int64_t unix_s) const {
  if (unix_s <= points_.front().unix_s) return points_.front().value;
  if (unix_s >= points_.back().unix_s) return points_.back().value;
  const auto hi = std::upper_bound(points_.begin(), points_.end(), unix_s,
                                   [](std::int64_t t, const Point& p) { return t < p.unix_s; });
  const auto lo = hi - 1;
  const double w = static_cast<double>(unix_s - lo->unix_s) / static_cast<double>(hi->unix_s - lo->unix_s);
  return lo->value + w * (hi->value - lo->value);
}

const CsvSeries::Point* CsvSeries::first_non_positive(std::int64_t from_unix_s, std::int64_t to_unix_s) const {
  for (std::size_t i = 0; i < points_.size(); ++i) {
    const bool after_from = i + 1 == points_.size() || points_[i + 1].unix_s > from_unix_s;
    const bool before_to = i == 0 || points_[i - 1].unix_s < to_unix_s;
    if (after_from && before_to && !(points_[i].value > 0)) return &points_[i];
  }
  return nullptr;
}

}  // namespace hybridsim::models::bitcoin
