#include <hdf5.h>
#include <hdf5_hl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/output/hdf5_file.hpp"
#include "sim/output/hdf5_writer.hpp"

namespace fs = std::filesystem;
namespace out = hybridsim::sim::output;
namespace h5 = hybridsim::sim::output::hdf5;

namespace {

// A fresh folder per test case, removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("hybridsim-hdf5-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(path)) {
      names.push_back(entry.path().filename().string());
    }
    return names;
  }
};

out::RunDataset sample_run() {
  out::RunDataset data;
  data.time_units = "seconds since 2024-01-01 00:00:00";
  data.time_s = {0, 60, 120};
  data.series = {
      {{"power", "W", "site power", "time: mean"}, std::vector<double>{1.0, 2.5, -3.0}},
      {{"count", "1", "jobs done", ""}, std::vector<std::int64_t>{7, 8, 9}},
      {{"state", "", "site state", ""}, std::vector<std::string>{"idle", "busy", "\u00e9t\u00e9"}},
  };
  data.tables = {{"jobs",
                  "job",
                  "job table",
                  {{{"submit", "seconds since 2024-01-01 00:00:00", "submit time", ""},
                    std::vector<std::int64_t>{5, 10}},
                   {{"runtime", "s", "run time", ""}, std::vector<double>{1.5, 2.5}}}}};
  data.attributes = {{"seed", std::int64_t{42}},
                     {"load", 0.5},
                     {"scenario", std::string("name: test")}};
  return data;
}

h5::Handle open_dataset(hid_t loc, const std::string& name) {
  return h5::Handle(h5::check(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), "H5Dopen2 " + name),
                    H5Dclose);
}

std::vector<hsize_t> extents(hid_t dataset) {
  const h5::Handle space(H5Dget_space(dataset), H5Sclose);
  std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space.get())));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return dims;
}

template <typename T>
std::vector<T> read_numbers(hid_t loc, const std::string& name, hid_t mem_type) {
  const auto dataset = open_dataset(loc, name);
  const auto dims = extents(dataset.get());
  std::vector<T> values(dims.at(0));
  if (!values.empty()) {
    h5::check(H5Dread(dataset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
              "H5Dread");
  }
  return values;
}

std::vector<std::string> read_strings(hid_t loc, const std::string& name) {
  const auto dataset = open_dataset(loc, name);
  const auto dims = extents(dataset.get());
  std::vector<char*> pointers(dims.at(0));
  const auto type = h5::string_type();
  h5::check(H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
            "H5Dread");
  std::vector<std::string> values(pointers.begin(), pointers.end());
  const h5::Handle space(H5Dget_space(dataset.get()), H5Sclose);
  H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, pointers.data());
  return values;
}

std::string read_string_attribute(hid_t obj, const std::string& name) {
  const h5::Handle attribute(h5::check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "H5Aopen " + name),
                             H5Aclose);
  const h5::Handle file_type(H5Aget_type(attribute.get()), H5Tclose);
  REQUIRE(H5Tis_variable_str(file_type.get()) > 0);
  REQUIRE(H5Tget_cset(file_type.get()) == H5T_CSET_UTF8);
  char* text = nullptr;
  const auto type = h5::string_type();
  h5::check(H5Aread(attribute.get(), type.get(), &text), "H5Aread");
  std::string value(text);
  H5free_memory(text);
  return value;
}

template <typename T>
T read_scalar_attribute(hid_t obj, const std::string& name, hid_t mem_type) {
  const h5::Handle attribute(h5::check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "H5Aopen " + name),
                             H5Aclose);
  T value{};
  h5::check(H5Aread(attribute.get(), mem_type, &value), "H5Aread");
  return value;
}

bool has_attribute(hid_t obj, const std::string& name) {
  return H5Aexists(obj, name.c_str()) > 0;
}

std::string scale_name(hid_t dataset) {
  char name[64] = {};
  H5DSget_scale_name(dataset, name, sizeof name);
  return name;
}

// The message of the `Exception` that `action` throws; another exception type propagates.
template <typename Exception, typename Action>
std::string thrown_message(Action&& action) {
  try {
    action();
  } catch (const Exception& error) {
    return error.what();
  }
  return "<nothing thrown>";
}

long open_hdf5_objects() { return static_cast<long>(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL)); }

}  // namespace

TEST_CASE("write_run_hdf5 round-trips series, tables and attributes", "[hdf5]") {
  TempDir dir;
  const auto path = dir.path / "run.h5";
  out::write_run_hdf5(path, sample_run());
  CHECK(open_hdf5_objects() == 0);
  CHECK(dir.entries() == std::vector<std::string>{"run.h5"});

  {
    const h5::ErrorSilencer silencer;
    const auto file = h5::open_file(path);
    const hid_t root = file.get();

    SECTION("time coordinate is a CF time dimension scale") {
      CHECK(read_numbers<std::int64_t>(root, "time", H5T_NATIVE_INT64) ==
            std::vector<std::int64_t>{0, 60, 120});
      const auto time = open_dataset(root, "time");
      CHECK(H5DSis_scale(time.get()) > 0);
      CHECK(scale_name(time.get()) == "time");
      CHECK(read_string_attribute(time.get(), "units") == "seconds since 2024-01-01 00:00:00");
      CHECK(read_string_attribute(time.get(), "calendar") == "standard");
      CHECK(read_string_attribute(time.get(), "standard_name") == "time");
      CHECK(read_string_attribute(time.get(), "long_name") == "time");
      const h5::Handle type(H5Dget_type(time.get()), H5Tclose);
      CHECK(H5Tequal(type.get(), H5T_STD_I64LE) > 0);
    }

    SECTION("series keep their types, values and attributes, on the time axis") {
      CHECK(read_numbers<double>(root, "power", H5T_NATIVE_DOUBLE) ==
            std::vector<double>{1.0, 2.5, -3.0});
      CHECK(read_numbers<std::int64_t>(root, "count", H5T_NATIVE_INT64) ==
            std::vector<std::int64_t>{7, 8, 9});
      CHECK(read_strings(root, "state") ==
            std::vector<std::string>{"idle", "busy", "\u00e9t\u00e9"});

      const auto time = open_dataset(root, "time");
      for (const auto* name : {"power", "count", "state"}) {
        INFO(name);
        const auto series = open_dataset(root, name);
        CHECK(extents(series.get()) == std::vector<hsize_t>{3});
        CHECK(H5DSget_num_scales(series.get(), 0) == 1);
        CHECK(H5DSis_attached(series.get(), time.get(), 0) > 0);
        CHECK(has_attribute(series.get(), "units"));
        CHECK(has_attribute(series.get(), "long_name"));
      }
      const auto power = open_dataset(root, "power");
      CHECK(read_string_attribute(power.get(), "units") == "W");
      CHECK(read_string_attribute(power.get(), "long_name") == "site power");
      CHECK(read_string_attribute(power.get(), "cell_methods") == "time: mean");
      const auto count = open_dataset(root, "count");
      CHECK_FALSE(has_attribute(count.get(), "cell_methods"));
      const h5::Handle float_type(H5Dget_type(power.get()), H5Tclose);
      CHECK(H5Tequal(float_type.get(), H5T_IEEE_F64LE) > 0);
    }

    SECTION("numeric datasets are chunked, shuffled and deflated") {
      const auto power = open_dataset(root, "power");
      const h5::Handle dcpl(H5Dget_create_plist(power.get()), H5Pclose);
      CHECK(H5Pget_layout(dcpl.get()) == H5D_CHUNKED);
      hsize_t chunk = 0;
      CHECK(H5Pget_chunk(dcpl.get(), 1, &chunk) == 1);
      CHECK(chunk == 3);
      CHECK(H5Pget_filter_by_id2(dcpl.get(), H5Z_FILTER_SHUFFLE, nullptr, nullptr, nullptr, 0,
                                 nullptr, nullptr) >= 0);
      unsigned level = 0;
      std::size_t n_values = 1;
      CHECK(H5Pget_filter_by_id2(dcpl.get(), H5Z_FILTER_DEFLATE, nullptr, &n_values, &level, 0,
                                 nullptr, nullptr) >= 0);
      CHECK(level == 1);
    }

    SECTION("tables are groups with an index coordinate") {
      const h5::Handle group(H5Gopen2(root, "jobs", H5P_DEFAULT), H5Gclose);
      REQUIRE(group);
      CHECK(read_string_attribute(group.get(), "long_name") == "job table");
      CHECK(read_numbers<std::int64_t>(group.get(), "job", H5T_NATIVE_INT64) ==
            std::vector<std::int64_t>{0, 1});
      const auto index = open_dataset(group.get(), "job");
      CHECK(H5DSis_scale(index.get()) > 0);
      CHECK(scale_name(index.get()) == "job");
      CHECK(read_string_attribute(index.get(), "units") == "1");
      CHECK(read_numbers<std::int64_t>(group.get(), "submit", H5T_NATIVE_INT64) ==
            std::vector<std::int64_t>{5, 10});
      CHECK(read_numbers<double>(group.get(), "runtime", H5T_NATIVE_DOUBLE) ==
            std::vector<double>{1.5, 2.5});
      for (const auto* name : {"submit", "runtime"}) {
        const auto column = open_dataset(group.get(), name);
        CHECK(H5DSis_attached(column.get(), index.get(), 0) > 0);
      }
      const auto submit = open_dataset(group.get(), "submit");
      CHECK(read_string_attribute(submit.get(), "units") == "seconds since 2024-01-01 00:00:00");
    }

    SECTION("root attributes keep their types") {
      CHECK(read_scalar_attribute<std::int64_t>(root, "seed", H5T_NATIVE_INT64) == 42);
      CHECK(read_scalar_attribute<double>(root, "load", H5T_NATIVE_DOUBLE) == 0.5);
      CHECK(read_string_attribute(root, "scenario") == "name: test");
    }
  }
  CHECK(open_hdf5_objects() == 0);
}

TEST_CASE("write_run_hdf5 writes a run without time steps and empty tables", "[hdf5]") {
  TempDir dir;
  auto data = sample_run();
  data.time_s.clear();
  data.series = {{{"power", "W", "site power", ""}, std::vector<double>{}},
                 {{"state", "", "site state", ""}, std::vector<std::string>{}}};
  data.tables[0].columns = {{{"submit", "s", "submit", ""}, std::vector<std::int64_t>{}}};
  data.tables.push_back({"nothing", "row", "a table without columns", {}});
  const auto path = dir.path / "empty.h5";
  out::write_run_hdf5(path, data);
  CHECK(open_hdf5_objects() == 0);

  const h5::ErrorSilencer silencer;
  const auto file = h5::open_file(path);
  CHECK(read_numbers<std::int64_t>(file.get(), "time", H5T_NATIVE_INT64).empty());
  CHECK(read_numbers<double>(file.get(), "power", H5T_NATIVE_DOUBLE).empty());
  CHECK(read_strings(file.get(), "state").empty());
  const auto time = open_dataset(file.get(), "time");
  const auto power = open_dataset(file.get(), "power");
  CHECK(H5DSis_attached(power.get(), time.get(), 0) > 0);
  const h5::Handle group(H5Gopen2(file.get(), "nothing", H5P_DEFAULT), H5Gclose);
  REQUIRE(group);
  const auto row = open_dataset(group.get(), "row");
  CHECK(H5DSis_scale(row.get()) > 0);
  CHECK(extents(row.get()) == std::vector<hsize_t>{0});
}

TEST_CASE("write_run_hdf5 replaces an existing file", "[hdf5]") {
  TempDir dir;
  const auto path = dir.path / "run.h5";
  auto data = sample_run();
  out::write_run_hdf5(path, data);
  data.time_s = {1, 2, 3};
  out::write_run_hdf5(path, data);
  const h5::ErrorSilencer silencer;
  const auto file = h5::open_file(path);
  CHECK(read_numbers<std::int64_t>(file.get(), "time", H5T_NATIVE_INT64) ==
        std::vector<std::int64_t>{1, 2, 3});
}

TEST_CASE("write_run_hdf5 rejects inconsistent data and writes nothing", "[hdf5]") {
  TempDir dir;
  const auto path = dir.path / "run.h5";
  auto data = sample_run();

  SECTION("series shorter than the time axis") {
    data.series[1].data = std::vector<std::int64_t>{1, 2};
    CHECK_THAT(thrown_message<std::invalid_argument>([&] { out::write_run_hdf5(path, data); }),
           Catch::Matchers::Contains("series 'count' has 2 values") &&
                             Catch::Matchers::Contains("time axis has 3"));
  }
  SECTION("table columns of different lengths") {
    data.tables[0].columns[1].data = std::vector<double>{1.0};
    CHECK_THAT(thrown_message<std::invalid_argument>([&] { out::write_run_hdf5(path, data); }),
           Catch::Matchers::Contains("column 'runtime' of table 'jobs'"));
  }
  SECTION("duplicate series names") {
    data.series[1].info.name = "power";
    CHECK_THAT(thrown_message<std::invalid_argument>([&] { out::write_run_hdf5(path, data); }),
           Catch::Matchers::Contains("'power'"));
  }
  SECTION("a series named like the time coordinate") {
    data.series[0].info.name = "time";
    CHECK_THROWS_AS(out::write_run_hdf5(path, data), std::invalid_argument);
  }
  SECTION("a table group named like a series") {
    data.tables[0].group = "power";
    CHECK_THROWS_AS(out::write_run_hdf5(path, data), std::invalid_argument);
  }
  SECTION("a column named like its table's dimension") {
    data.tables[0].columns[0].info.name = "job";
    CHECK_THROWS_AS(out::write_run_hdf5(path, data), std::invalid_argument);
  }
  SECTION("duplicate root attributes") {
    data.attributes.push_back({"seed", std::int64_t{1}});
    CHECK_THROWS_AS(out::write_run_hdf5(path, data), std::invalid_argument);
  }
  SECTION("names HDF5 cannot hold") {
    data.series[0].info.name = "a/b";
    CHECK_THROWS_AS(out::write_run_hdf5(path, data), std::invalid_argument);
  }
  SECTION("time units that are not seconds since an epoch") {
    data.time_units = "hours";
    CHECK_THROWS_AS(out::write_run_hdf5(path, data), std::invalid_argument);
  }
  CHECK_FALSE(fs::exists(path));
  CHECK(dir.entries().empty());
}

TEST_CASE("write_run_hdf5 does not replace a good file with a bad one", "[hdf5]") {
  TempDir dir;
  const auto path = dir.path / "run.h5";
  out::write_run_hdf5(path, sample_run());
  auto bad = sample_run();
  bad.series[0].data = std::vector<double>{};
  CHECK_THROWS_AS(out::write_run_hdf5(path, bad), std::invalid_argument);
  CHECK(dir.entries() == std::vector<std::string>{"run.h5"});
  const h5::ErrorSilencer silencer;
  const auto file = h5::open_file(path);
  CHECK(read_numbers<double>(file.get(), "power", H5T_NATIVE_DOUBLE).size() == 3);
}

TEST_CASE("write_run_hdf5 reports a temporary it cannot create, with the path, and cleans up", "[hdf5]") {
  TempDir dir;
  const auto path = dir.path / "run.h5";
  // Something that is not ours sits where the temporary file goes, so creating it fails.
  auto blocker = path;
  blocker += ".tmp-" + std::to_string(::getpid());
  fs::create_directory(blocker);

  CHECK_THAT(thrown_message<std::runtime_error>([&] { out::write_run_hdf5(path, sample_run()); }),
           Catch::Matchers::Contains(path.string()) &&
                           Catch::Matchers::Contains("cannot create a file in the folder") &&
                           Catch::Matchers::Contains("File exists"));
  CHECK_FALSE(fs::exists(path));
  CHECK(fs::is_directory(blocker));  // not removed: it was not ours
  CHECK(open_hdf5_objects() == 0);
}

TEST_CASE("write_run_hdf5 refuses a folder at the output path and leaves it alone", "[hdf5]") {
  TempDir dir;
  const auto path = dir.path / "run.h5";
  fs::create_directory(path);
  fs::create_directory(path / "keep");
  CHECK_THAT(thrown_message<std::runtime_error>([&] { out::write_run_hdf5(path, sample_run()); }),
             Catch::Matchers::Contains(path.string()) && Catch::Matchers::Contains("is a folder"));
  CHECK(dir.entries() == std::vector<std::string>{"run.h5"});
  CHECK(fs::is_directory(path / "keep"));
  CHECK(open_hdf5_objects() == 0);
}

TEST_CASE("write_run_hdf5 refuses a folder that does not exist", "[hdf5]") {
  TempDir dir;
  const auto folder = dir.path / "missing";
  const auto path = folder / "run.h5";
  CHECK_THAT(thrown_message<std::runtime_error>([&] { out::write_run_hdf5(path, sample_run()); }),
           Catch::Matchers::Contains(path.string()) &&
                           Catch::Matchers::Contains("does not exist"));
  CHECK_FALSE(fs::exists(folder));
}

TEST_CASE("the HDF5 layer reports errors with HDF5's own message", "[hdf5]") {
  TempDir dir;
  const h5::ErrorSilencer silencer;
  auto file = h5::create_file(dir.path / "layer.h5");
  { const auto group = h5::create_group(file.get(), "g"); }
  CHECK_THAT(thrown_message<h5::Error>([&] { h5::create_group(file.get(), "g"); }),
           Catch::Matchers::Contains("H5Gcreate2 'g'") &&
                           Catch::Matchers::Contains("already exists"));
  file.close();
  CHECK(open_hdf5_objects() == 0);
}

TEST_CASE("the HDF5 layer refuses to close a file with objects still open", "[hdf5]") {
  TempDir dir;
  const h5::ErrorSilencer silencer;
  auto file = h5::create_file(dir.path / "leak.h5");
  auto group = h5::create_group(file.get(), "g");
  CHECK_THROWS_AS(file.close(), h5::Error);
  CHECK(file);  // still owned, so it can be closed once the group is
  group.reset();
  file.close();
  CHECK(open_hdf5_objects() == 0);
}

TEST_CASE("chunk shapes stay within the element budget", "[hdf5]") {
  const std::vector<hsize_t> small{10};
  CHECK(h5::chunk_shape(small) == std::vector<hsize_t>{10});
  const std::vector<hsize_t> empty{0};
  CHECK(h5::chunk_shape(empty) == std::vector<hsize_t>{1});
  const std::vector<hsize_t> long_series{1'000'000};
  CHECK(h5::chunk_shape(long_series) == std::vector<hsize_t>{h5::max_chunk_elements});
  // (run, time): whole series of single runs first.
  const std::vector<hsize_t> sweep{100, 10'000};
  CHECK(h5::chunk_shape(sweep) == std::vector<hsize_t>{4, 10'000});
  const std::vector<hsize_t> huge_sweep{100, 1'000'000};
  CHECK(h5::chunk_shape(huge_sweep) == std::vector<hsize_t>{1, h5::max_chunk_elements});
}

namespace {

out::RunDataset run_with_halls() {
  auto data = sample_run();
  const out::Dimension hall{"hall", {"mining", "hpc"}};
  // Interleaved with the 1-D series, as a recorder would declare them.
  data.series.insert(data.series.begin() + 1,
                     {{"hall_power_mw", "MW", "power by hall", ""},
                      std::vector<double>{10.0, 2.0, 11.5, 2.5, 12.0, -0.5},
                      hall});
  data.series.push_back({{"hall_energy_mwh", "MWh", "energy by hall", "time: sum"},
                         std::vector<double>{0.0, 0.0, 1.0, 2.0, 3.0, 4.0},
                         hall});
  data.series.push_back({{"machines", "1", "machines by cohort", ""},
                         std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9},
                         out::Dimension{"cohort", {"a", "b", "c"}}});
  return data;
}

std::vector<double> read_all_doubles(hid_t loc, const std::string& name) {
  const auto dataset = open_dataset(loc, name);
  const auto dims = extents(dataset.get());
  hsize_t n = 1;
  for (const auto d : dims) n *= d;
  std::vector<double> values(n);
  if (n > 0) {
    h5::check(H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                      values.data()),
              "H5Dread");
  }
  return values;
}

}  // namespace

TEST_CASE("write_run_hdf5 writes (time, label) series with one label coordinate each",
          "[hdf5]") {
  TempDir dir;
  const auto path = dir.path / "halls.h5";
  out::write_run_hdf5(path, run_with_halls());
  CHECK(open_hdf5_objects() == 0);

  const h5::ErrorSilencer silencer;
  const auto file = h5::open_file(path);
  const hid_t root = file.get();

  const auto hall = open_dataset(root, "hall");
  CHECK(H5DSis_scale(hall.get()) > 0);
  CHECK(scale_name(hall.get()) == "hall");
  CHECK(read_strings(root, "hall") == std::vector<std::string>{"mining", "hpc"});
  CHECK(read_string_attribute(hall.get(), "long_name") == "hall");
  CHECK_FALSE(has_attribute(hall.get(), "units"));
  CHECK(read_strings(root, "cohort") == std::vector<std::string>{"a", "b", "c"});

  const auto time = open_dataset(root, "time");
  const auto cohort = open_dataset(root, "cohort");
  for (const auto* name : {"hall_power_mw", "hall_energy_mwh"}) {
    INFO(name);
    const auto series = open_dataset(root, name);
    CHECK(extents(series.get()) == std::vector<hsize_t>{3, 2});
    CHECK(H5DSget_num_scales(series.get(), 0) == 1);
    CHECK(H5DSget_num_scales(series.get(), 1) == 1);
    CHECK(H5DSis_attached(series.get(), time.get(), 0) > 0);
    CHECK(H5DSis_attached(series.get(), hall.get(), 1) > 0);
    const h5::Handle dcpl(H5Dget_create_plist(series.get()), H5Pclose);
    CHECK(H5Pget_layout(dcpl.get()) == H5D_CHUNKED);
    hsize_t chunk[2] = {};
    CHECK(H5Pget_chunk(dcpl.get(), 2, chunk) == 2);
    CHECK(chunk[0] == 3);
    CHECK(chunk[1] == 2);
    CHECK(H5Pget_filter_by_id2(dcpl.get(), H5Z_FILTER_DEFLATE, nullptr, nullptr, nullptr, 0,
                               nullptr, nullptr) >= 0);
  }
  // Row-major: row t holds the labels of time stamp t.
  CHECK(read_all_doubles(root, "hall_power_mw") ==
        std::vector<double>{10.0, 2.0, 11.5, 2.5, 12.0, -0.5});
  const auto energy = open_dataset(root, "hall_energy_mwh");
  CHECK(read_string_attribute(energy.get(), "cell_methods") == "time: sum");
  CHECK(read_string_attribute(energy.get(), "units") == "MWh");

  const auto machines = open_dataset(root, "machines");
  CHECK(extents(machines.get()) == std::vector<hsize_t>{3, 3});
  CHECK(H5DSis_attached(machines.get(), cohort.get(), 1) > 0);
  CHECK(H5DSis_attached(machines.get(), hall.get(), 1) == 0);
  const h5::Handle int_type(H5Dget_type(machines.get()), H5Tclose);
  CHECK(H5Tequal(int_type.get(), H5T_STD_I64LE) > 0);

  // Two variables share `hall`: there is one coordinate, and its scale is attached to both
  // (HDF5 keeps the back references in the scale's REFERENCE_LIST).
  {
    const h5::Handle references(
        h5::check(H5Aopen(hall.get(), "REFERENCE_LIST", H5P_DEFAULT), "H5Aopen"), H5Aclose);
    const h5::Handle space(H5Aget_space(references.get()), H5Sclose);
    CHECK(H5Sget_simple_extent_npoints(space.get()) == 2);
  }
  H5G_info_t info{};
  h5::check(H5Gget_info(root, &info), "H5Gget_info");
  CHECK(info.nlinks == 10);  // time, hall, cohort, 3 + 3 series, 1 table group
}

TEST_CASE("write_run_hdf5 writes (time, label) series of an empty run", "[hdf5]") {
  TempDir dir;
  auto data = run_with_halls();
  data.time_s.clear();
  for (auto& column : data.series) std::visit([](auto& v) { v.clear(); }, column.data);
  const auto path = dir.path / "empty.h5";
  out::write_run_hdf5(path, data);
  const h5::ErrorSilencer silencer;
  const auto file = h5::open_file(path);
  const auto power = open_dataset(file.get(), "hall_power_mw");
  CHECK(extents(power.get()) == std::vector<hsize_t>{0, 2});
  const auto hall = open_dataset(file.get(), "hall");
  CHECK(H5DSis_attached(power.get(), hall.get(), 1) > 0);
  CHECK(read_strings(file.get(), "hall").size() == 2);
}

TEST_CASE("write_run_hdf5 rejects inconsistent 2-D series and writes nothing", "[hdf5]") {
  TempDir dir;
  const auto path = dir.path / "run.h5";
  auto data = run_with_halls();
  auto& power = data.series[1];
  REQUIRE(power.info.name == "hall_power_mw");

  SECTION("values not a whole row per time stamp") {
    power.data = std::vector<double>{1.0, 2.0, 3.0};
    CHECK_THAT(thrown_message<std::invalid_argument>([&] { out::write_run_hdf5(path, data); }),
               Catch::Matchers::Contains("series 'hall_power_mw' has 3 values") &&
                   Catch::Matchers::Contains("3 stamps of 2 labels"));
  }
  SECTION("one dimension with two sets of labels") {
    power.second->labels = {"hpc", "mining"};
    CHECK_THAT(thrown_message<std::logic_error>([&] { out::write_run_hdf5(path, data); }),
               Catch::Matchers::Contains("dimension 'hall' of series 'hall_energy_mwh'"));
  }
  SECTION("a label twice") {
    power.second->labels = {"mining", "mining"};
    data.series.back().second->labels = {"a", "a", "b"};
    CHECK_THROWS_AS(out::write_run_hdf5(path, data), std::logic_error);
  }
  SECTION("a dimension named like the time coordinate") {
    power.second->name = "time";
    CHECK_THROWS_AS(out::write_run_hdf5(path, data), std::invalid_argument);
  }
  SECTION("a dimension named like a series") {
    data.series.back().second->name = "count";
    CHECK_THROWS_AS(out::write_run_hdf5(path, data), std::invalid_argument);
  }
  SECTION("a table column with a second dimension") {
    data.tables[0].columns[1].second = out::Dimension{"hall", {"x", "y"}};
    CHECK_THAT(thrown_message<std::invalid_argument>([&] { out::write_run_hdf5(path, data); }),
               Catch::Matchers::Contains("table columns are 1-D"));
  }
  CHECK_FALSE(fs::exists(path));
  CHECK(dir.entries().empty());
}
