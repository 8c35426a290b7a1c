// The runner's range of members (what shards and MPI ranks will use): members [0, 6) of 12,
// then the rest through resume, give the same file contents as one run of all 12.
#include <catch2/catch.hpp>

#include <hdf5.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <vector>

#include "models/catalogue.hpp"
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

TEST_CASE("members [0, 6) then a resume of the rest equal one run of all members", "[sweep][runner]") {
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
