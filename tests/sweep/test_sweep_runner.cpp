// The runner's range of members (what shards and MPI ranks will use): members [0, 6) of 12,
// then the rest through resume, give the same file contents as one run of all 12.
#include <catch2/catch.hpp>

#include <hdf5.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <vector>

#include "models/catalogue.hpp"
#include "sim/sweep/chunk_codec.hpp"
#include "sim/sweep/member_result.hpp"
#include "sim/sweep/shards.hpp"
#include "sim/sweep/sweep_file.hpp"
#include "sim/sweep/sweep_plan.hpp"
#include "sim/sweep/sweep_runner.hpp"

using namespace hybridsim::sweep;
namespace fs = std::filesystem;

namespace {

/// Every numeric dataset of group `group` of `path`, as raw bytes in its file type.
std::map<std::string, std::vector<char>> numeric_datasets(const fs::path& path, const std::string& group) {
  std::map<std::string, std::vector<char>> out;
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);
  const hid_t g = H5Gopen2(file, group.c_str(), H5P_DEFAULT);
  H5G_info_t info{};
  H5Gget_info(g, &info);
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    char name[512] = {};
    H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name, H5P_DEFAULT);
    H5O_info_t oi{};
    H5Oget_info_by_name(g, name, &oi, H5P_DEFAULT);
    if (oi.type != H5O_TYPE_DATASET) continue;
    const hid_t d = H5Dopen2(g, name, H5P_DEFAULT);
    const hid_t type = H5Dget_type(d);
    if (H5Tget_class(type) == H5T_INTEGER || H5Tget_class(type) == H5T_FLOAT) {
      const hid_t space = H5Dget_space(d);
      std::vector<char> bytes(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)) * H5Tget_size(type));
      if (!bytes.empty()) REQUIRE(H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()) >= 0);
      out[name] = std::move(bytes);
      H5Sclose(space);
    }
    H5Tclose(type);
    H5Dclose(d);
  }
  H5Gclose(g);
  H5Fclose(file);
  return out;
}

}  // namespace

TEST_CASE("members 0 to 5, then a resume of the rest equal one run of all members", "[sweep][runner]") {
  const fs::path dir = fs::temp_directory_path() / ("hybridsim-test-runner-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path yaml = dir / "s.yaml";
  std::ofstream(yaml) << "base: " << HYBRIDSIM_SOURCE_DIR << "/scenarios/default.yaml\n"
                      << "sweep:\n  replications: 3\n  params:\n    world.btc_price.vol_per_year: [0.4, 0.5, 0.6, 0.7]\n";
  const auto plan = SweepPlan::make(read_sweep_source(yaml.string(), std::nullopt, {"horizon_years=0.25"}, std::nullopt), hybridsim::models::plugins(), false);
  REQUIRE(plan.size() == 12);

  SweepOptions whole;
  whole.output = dir / "whole.h5";
  whole.jobs = 2;
  const auto a = run_sweep(plan, whole);
  CHECK(a.members == 12);

  SweepOptions part = whole;
  part.output = dir / "parts.h5";
  part.last = 6;
  const auto b = run_sweep(plan, part);
  CHECK(b.members == 6);
  part.last.reset();
  part.resume = true;
  part.jobs = 1;
  const auto c = run_sweep(plan, part);
  CHECK(c.members == 6);
  CHECK(c.skipped == 6);

  for (const std::string group : {"/", "summary", "params", "network_events"}) {
    INFO(group);
    const auto x = numeric_datasets(whole.output, group);
    const auto y = numeric_datasets(part.output, group);
    CHECK(x.size() > 1);
    CHECK(x == y);
  }
  fs::remove_all(dir);
}

namespace {

/// A member with one table `t` (dimension `row`): a number, an integer and a text column.
MemberResult member_with_table(std::int64_t index, std::int64_t rows, const std::string& text) {
  MemberResult r;
  r.index = index;
  r.time_units = "seconds since 2024-01-01 00:00:00";
  r.time_s = {0, 3600};
  hybridsim::sim::output::Table t;
  t.group = "t";
  t.dimension = "row";
  t.long_name = "a test table";
  std::vector<double> x(static_cast<std::size_t>(rows));
  std::vector<std::int64_t> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = 0.5 * static_cast<double>(i);
    y[i] = 1000 * index + static_cast<std::int64_t>(i);
  }
  const auto info = [](const char* name) {
    hybridsim::sim::output::VariableInfo i;
    i.name = i.long_name = name;
    return i;
  };
  t.columns.push_back({info("x"), std::move(x)});
  t.columns.push_back({info("y"), std::move(y)});
  t.columns.push_back({info("s"), std::vector<std::string>(static_cast<std::size_t>(rows), text)});
  r.tables.push_back(std::move(t));
  return r;
}

}  // namespace

TEST_CASE("a member's tables prepared on a worker: the whole chunks of its rows, compressed", "[sweep][tables]") {
  const auto r = member_with_table(7, 3000, "finished");
  CHECK(table_rows(r) == TableRows{{"t", 3000}});
  CHECK(prepare_tables(r, {}).empty());  // start unknown: nothing prepared
  // Rows at 1000..3999 of the file: chunks 1 and 2 (rows 1024..3071) hold only this member's.
  const auto p = prepare_tables(r, {{"t", 1000}});
  REQUIRE(p.size() == 1);
  CHECK(p[0].start == 1000);
  CHECK(p[0].first_chunk == 1);
  CHECK(p[0].chunks == 2);
  REQUIRE(p[0].columns.size() == 5);  // row, run, x, y, s
  CHECK(p[0].columns[4].empty());     // text: left to the writer
  const auto values = [&](std::size_t column, std::size_t chunk) {
    const auto bytes = decode_chunk(p[0].columns[column][chunk], 8, kTableChunkRows * 8);
    std::vector<std::int64_t> v(kTableChunkRows);
    std::memcpy(v.data(), bytes.data(), bytes.size());
    return v;
  };
  CHECK(values(0, 1)[0] == 2048);  // the table's index: file rows
  CHECK(values(1, 0)[5] == 7);     // run
  CHECK(values(3, 0)[0] == 7000 + 24);  // y of the member's row 24 = file row 1024
  const auto x = decode_chunk(p[0].columns[2][1], 8, kTableChunkRows * 8);
  double x0 = 0;
  std::memcpy(&x0, x.data(), 8);
  CHECK(x0 == 0.5 * (2048 - 1000));
  // Text in the file's width once it is known; a value wider than it is left to the writer.
  const auto text = prepare_tables(r, {{"t", 1000}}, {{"t/s", 16}});
  REQUIRE(text[0].columns[4].size() == 2);
  CHECK(text[0].element_bytes[4] == 16);
  const auto s = decode_chunk(text[0].columns[4][0], 16, kTableChunkRows * 16);
  CHECK(std::string(reinterpret_cast<const char*>(s.data()), 16) == std::string("finished") + std::string(8, '\0'));
  CHECK(prepare_tables(r, {{"t", 1000}}, {{"t/s", 7}})[0].columns[4].empty());
  // Rows inside one chunk: none whole.
  CHECK(prepare_tables(member_with_table(1, 500, "x"), {{"t", 100}})[0].chunks == 0);
}

TEST_CASE("table text columns are fixed-width strings, a longer value is refused, not truncated", "[sweep][tables]") {
  const fs::path dir = fs::temp_directory_path() / ("hybridsim-test-text-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path yaml = dir / "s.yaml";
  std::ofstream(yaml) << "base: " << HYBRIDSIM_SOURCE_DIR << "/scenarios/default.yaml\n"
                      << "sweep:\n  params:\n    world.btc_price.vol_per_year: [0.4, 0.5, 0.6, 0.7]\n";
  const auto plan = SweepPlan::make(read_sweep_source(yaml.string(), std::nullopt, {"horizon_years=0.25"}, std::nullopt), hybridsim::models::plugins(), false);
  const fs::path out = dir / "t.h5";
  {
    auto file = SweepFile::create(out, plan);
    auto a = member_with_table(0, 2000, "finished");
    file.write_series(a);
    file.commit(a, prepare_tables(a, {{"t", 0}}));  // text width not known yet: HDF5 compresses it
    CHECK(file.text_widths() == TextWidths{{"t/s", 16}});
    auto b = member_with_table(1, 1500, std::string(16, 'q'));  // exactly the width: fits
    file.write_series(b);
    file.commit(b, prepare_tables(b, {{"t", 2000}}, file.text_widths()));
    auto c = member_with_table(2, 1500, "c");
    file.write_series(c);
    file.commit(c, prepare_tables(c, {{"t", 1000}}, file.text_widths()));  // a wrong start: ignored
    CHECK(file.table_rows() == TableRows{{"t", 5000}});
    auto d = member_with_table(3, 10, std::string(17, 'z'));
    file.write_series(d);
    REQUIRE_THROWS_WITH(file.commit(d), Catch::Contains("member 3 has the value") &&
                                            Catch::Contains("longer than the column's 16 bytes"));
    CHECK(file.table_rows() == TableRows{{"t", 5000}});  // refused before any column grew
    file.close();
  }
  const hid_t f = H5Fopen(out.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t s = H5Dopen2(f, "t/s", H5P_DEFAULT), y = H5Dopen2(f, "t/y", H5P_DEFAULT);
  const hid_t type = H5Dget_type(s);
  CHECK(H5Tis_variable_str(type) == 0);
  CHECK(H5Tget_size(type) == 16);
  std::vector<char> text(5000 * 16);
  REQUIRE(H5Dread(s, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()) >= 0);
  const auto row = [&](std::size_t i) { return std::string(text.data() + i * 16, strnlen(text.data() + i * 16, 16)); };
  for (std::size_t i = 0; i < 5000; ++i)
    REQUIRE(row(i) == (i < 2000 ? "finished" : i < 3500 ? std::string(16, 'q') : "c"));
  std::vector<std::int64_t> ys(5000);
  REQUIRE(H5Dread(y, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, ys.data()) >= 0);
  for (std::size_t i = 0; i < 5000; ++i) {
    const std::size_t member = i < 2000 ? 0 : i < 3500 ? 1 : 2, first = member == 0 ? 0 : member == 1 ? 2000 : 3500;
    REQUIRE(ys[i] == static_cast<std::int64_t>(1000 * member + (i - first)));
  }
  H5Tclose(type);
  H5Dclose(s);
  H5Dclose(y);
  H5Fclose(f);
  fs::remove_all(dir);
}

TEST_CASE("merge refuses a shard whose text is wider than shard 1's column", "[sweep][tables][shards]") {
  const fs::path dir = fs::temp_directory_path() / ("hybridsim-test-merge-text-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path yaml = dir / "s.yaml";
  std::ofstream(yaml) << "base: " << HYBRIDSIM_SOURCE_DIR << "/scenarios/default.yaml\n"
                      << "sweep:\n  params:\n    world.btc_price.vol_per_year: [0.4, 0.5, 0.6]\n";
  const auto plan = SweepPlan::make(read_sweep_source(yaml.string(), std::nullopt, {"horizon_years=0.25"}, std::nullopt), hybridsim::models::plugins(), false);
  const auto shard = [&](const fs::path& path, std::int64_t index, std::int64_t first, std::int64_t last,
                         const std::string& text) {
    auto file = SweepFile::create(path, plan);
    file.write_shard(index, 2, first, last);
    for (std::int64_t i = first; i < last; ++i) {
      auto m = member_with_table(i, 10, text);
      file.write_series(m);
      file.commit(m);
    }
    file.close();
  };
  shard(dir / "1.h5", 1, 0, 1, "short");
  shard(dir / "2.h5", 2, 1, 3, std::string(20, 'w'));  // its column is 24 bytes wide, shard 1's 16
  REQUIRE_THROWS_WITH(merge_shards(dir / "all.h5", {dir / "1.h5", dir / "2.h5"}),
                      Catch::Contains("column 's'") && Catch::Contains("merging would cut it"));
  CHECK_FALSE(fs::exists(dir / "all.h5"));
  shard(dir / "2.h5", 2, 1, 3, "fits");
  CHECK(merge_shards(dir / "all.h5", {dir / "1.h5", dir / "2.h5"}) == 3);
  fs::remove_all(dir);
}
