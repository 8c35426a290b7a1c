#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "sim/config/csv_series.hpp"

using namespace hybridsim::sim::config;

namespace {
constexpr std::int64_t k2024_01_01 = 1'704'067'200;

struct TempDir {
  std::filesystem::path path{std::filesystem::temp_directory_path() / ("hybridsim-series-" + std::to_string(::getpid()))};
  TempDir() { std::filesystem::create_directories(path); }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

std::string error_of(const std::string& path, const CsvOptions& o = {}) {
  try {
    CsvSeries::load(path, o);
  } catch (const CsvError& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("series: linear and step interpolation between rows", "[series]") {
  TempDir dir;
  const auto f = dir.write("s.csv", "date,v\n2024-01-01,10\n2024-01-01T02:00Z,30\n");
  CsvOptions o;
  const auto linear = CsvSeries::load(f, o);
  CHECK(linear.at(k2024_01_01 - 1) == 10.0);
  CHECK(linear.at(k2024_01_01 + 1800) == Approx(15.0));
  CHECK(linear.at(k2024_01_01 + 7200) == 30.0);
  CHECK(linear.at(k2024_01_01 + 99999) == 30.0);
  o.interpolation = Interpolation::kStep;
  const auto step = CsvSeries::load(f, o);
  CHECK(step.at(k2024_01_01 + 1800) == 10.0);
  CHECK(step.at(k2024_01_01 + 7199) == 10.0);
  CHECK(step.at(k2024_01_01 + 7200) == 30.0);
  CHECK(step.rows_at_or_before(k2024_01_01 - 1) == 0);
  CHECK(step.rows_at_or_before(k2024_01_01) == 1);
  CHECK(step.rows_at_or_before(k2024_01_01 + 7200) == 2);
}

TEST_CASE("series: declared and inferred intervals, and gaps", "[series]") {
  TempDir dir;
  const auto f = dir.write("q.csv", "2024-01-01T00:00Z,1\n2024-01-01T00:15Z,2\n2024-01-01T00:30Z,3\n2024-01-01T01:00Z,4\n");
  CsvOptions o;
  CHECK(CsvSeries::load(f, o).interval_s() == 0);  // irregular: anything goes
  o.spacing = Spacing::kInferred;
  CHECK(error_of(f, o) == f + ":4: gap of 30m after 2024-01-01 00:30:00 UTC on line 3; rows must be at most 15m apart "
                              "(the file's interval, its most common row spacing)");
  o.spacing = Spacing::kDeclared;
  o.interval_s = 1800;
  const auto s = CsvSeries::load(f, o);
  CHECK(s.interval_s() == 1800);
  o.interval_s = 600;
  CHECK(error_of(f, o) == f + ":2: gap of 15m after 2024-01-01 00:00:00 UTC on line 1; rows must be at most 10m apart "
                              "(the declared interval)");
}

TEST_CASE("series: bad files give file:line: what is wrong", "[series]") {
  TempDir dir;
  const auto order = dir.write("o.csv", "2024-01-02,1\n2024-01-01,2\n");
  CHECK(error_of(order) == order + ":2: date 2024-01-01 is before 2024-01-02 00:00:00 UTC on line 1 (dates must increase)");
  const auto dup = dir.write("d.csv", "date,v\n2024-01-01,1\n\n2024-01-01T00:00:00+00:00,2\n");
  CHECK(error_of(dup) == dup + ":4: date 2024-01-01T00:00:00+00:00 repeats the date of line 2 (each date must appear once)");
  const auto bad_date = dir.write("b.csv", "date,v\n2024-02-30,1\n");
  CHECK(error_of(bad_date) == bad_date + ":2: bad date '2024-02-30' (expected YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] with an "
                                         "optional Z or UTC offset such as +02:00)");
  const auto bad_value = dir.write("v.csv", "date,v\n2024-01-01,12abc\n");
  CHECK(error_of(bad_value) == bad_value + ":2: bad value '12abc' (expected a finite number)");
  const auto nan = dir.write("n.csv", "date,v\n2024-01-01,nan\n");
  CHECK(error_of(nan) == nan + ":2: value 'nan' is not a finite number");
  const auto empty = dir.write("e.csv", "date,v\n");
  CHECK(error_of(empty) == empty + ": no data rows");
  CHECK(error_of(dir.path.string()) == dir.path.string() + ": is a folder, not a CSV file");
  CHECK(error_of((dir.path / "missing.csv").string()) == (dir.path / "missing.csv").string() + ": cannot open the file");
  const auto no_header = dir.write("h.csv", "2024-01-01,1\n");
  CsvOptions named;
  named.value_column = "price";
  CHECK(error_of(no_header, named) == no_header + ":1: column 'price' was asked for, but the file has no header line");
}
