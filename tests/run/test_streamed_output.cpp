// A run streamed to its file as it goes (StreamWriter, in blocks of samples and chunks of job
// rows) holds exactly what the same run buffered in memory returns; a failure leaves nothing.
#include <catch2/catch.hpp>

#include <hdf5.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "models/catalogue.hpp"
#include "sim/config/document.hpp"
#include "sim/output/hdf5_file.hpp"
#include "sim/output/output_file.hpp"
#include "sim/output/stream_writer.hpp"
#include "sim/run/scenario.hpp"
#include "sim/run/simulation.hpp"

namespace fs = std::filesystem;
namespace hs = hybridsim::sim;
namespace out = hybridsim::sim::output;
namespace h5 = hybridsim::sim::output::hdf5;

namespace {

// Three weeks of a small hybrid site, hourly, with jobs still queued and running at the
// horizon: 505 stamps, a few hundred job rows, two cohorts, two halls.
const char* kScenario = R"yaml(
name: streamed
start: 2024-04-20T00:09:27Z
horizon_years: 0.0576
record_every: 1h
world:
  bitcoin: {start_height: 840000, start_difficulty: 86388558925171}
  btc_price: {model: gbm, initial_usd: 64000, drift_per_year: 0.2, vol_per_year: 0.55}
  network: {model: growth, growth_per_year: 0.35}
  fees: {model: share_of_subsidy, share: 0.05}
  power_price: {model: ou_spot, step: 15m, mean_usd_per_mwh: 40, reversion_per_day: 2, stationary_sd_usd_per_mwh: 15}
facility:
  power_cap_mw: 20
  halls: [{name: mining, pue: 1.05}, {name: hpc, pue: 1.3}]
  asic_cohorts:
    - {model: Antminer S19 XP, count: 2000, hashrate_ths: 140, power_w: 3010, hall: mining}
    - {model: Antminer S21, count: 2500, hashrate_ths: 200, power_w: 3500, hall: mining}
  pool: {model: fpps, fee: 0.02}
  gpu_clusters:
    - {name: cloud, gpu: H100 SXM, count: 1024, hall: hpc, purchase_usd_per_gpu: 30000, depreciation_years: 5}
  contracts:
    - {name: cloud, model: gpu_hour_rental, reserved_gpus: 512, reserved_usd_per_gpu_hour: 2.1}
  gpu_price: {model: decaying, initial_usd_per_gpu_hour: 2.5, decay_per_year: 0.3}
  jobs: {model: poisson, rate_per_day: 40, contract: cloud, gpus: {choices: [8, 64, 512], weights: [6, 3, 1]},
         hours: {lognormal: [3, 1]}}
)yaml";

hs::Scenario load() {
  auto doc = hs::config::Document::load_string(kScenario, "streamed.yaml");
  return hs::load_scenario(doc, hybridsim::models::plugins());
}

fs::path fresh_folder(const std::string& name) {
  const fs::path folder = fs::temp_directory_path() / ("hybridsim-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  fs::create_directories(folder);
  return folder;
}

// Every element of a dataset, in the type of `like` (double, int64 or string).
out::ColumnData read_all(hid_t loc, const std::string& name, const out::ColumnData& like) {
  const h5::Handle dataset(h5::check(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), "H5Dopen2 " + name), H5Dclose);
  const h5::Handle space(h5::check(H5Dget_space(dataset.get()), "H5Dget_space"), H5Sclose);
  const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get()));
  switch (like.index()) {
    case 0: {
      std::vector<double> v(n);
      if (n) h5::check(H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "read");
      return v;
    }
    case 1: {
      std::vector<std::int64_t> v(n);
      if (n) h5::check(H5Dread(dataset.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "read");
      return v;
    }
    default: {
      std::vector<char*> p(n);
      const auto type = h5::string_type();
      if (n) h5::check(H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()), "read");
      std::vector<std::string> v(p.begin(), p.end());
      if (n) H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, p.data());
      return v;
    }
  }
}

// Equal element by element, NaN equal to NaN.
bool same(const out::ColumnData& a, const out::ColumnData& b) {
  if (a.index() != b.index()) return false;
  if (const auto* x = std::get_if<std::vector<double>>(&a)) {
    const auto& y = std::get<std::vector<double>>(b);
    if (x->size() != y.size()) return false;
    for (std::size_t i = 0; i < x->size(); ++i)
      if (!((*x)[i] == y[i] || (std::isnan((*x)[i]) && std::isnan(y[i])))) return false;
    return true;
  }
  return a == b;
}

}  // namespace

TEST_CASE("a streamed run's file holds exactly the buffered run's series, tables and attributes", "[stream]") {
  const hs::Scenario scenario = load();
  hs::Simulation buffered(scenario);
  const out::RunDataset want = buffered.run();
  REQUIRE(want.time_s.size() == 505);

  const fs::path folder = fresh_folder("streamed");
  const fs::path path = folder / "run.h5";
  {
    out::OutputFile file(path);
    out::StreamWriter writer(file.temporary(), 2);
    hs::Simulation streamed(scenario);
    // Blocks of 64 stamps (505 = 7 × 64 + 57: a last, partial block) and job rows 50 at a
    // time, so that both grow their datasets many times.
    streamed.stream_to(writer, 64, 50);
    const out::RunDataset layout = streamed.run();
    for (const auto& c : layout.series) CHECK(out::hdf5::size_of(c.data) == 0);  // it all went to the file
    CHECK(layout.tables.empty());
    CHECK(streamed.summary().cash_usd == buffered.summary().cash_usd);
    CHECK(streamed.summary().npv_usd == buffered.summary().npv_usd);
    writer.finish(layout.attributes);
    file.commit_written();
  }
  REQUIRE(fs::exists(path));
  CHECK(std::distance(fs::directory_iterator(folder), fs::directory_iterator{}) == 1);

  const h5::ErrorSilencer silencer;
  const auto f = h5::open_file(path);
  CHECK(same(read_all(f.get(), "time", want.time_s), want.time_s));
  CHECK(same(read_all(f.get(), "cohort", std::vector<std::string>{}),
             std::vector<std::string>{"Antminer S19 XP", "Antminer S21"}));
  bool saw_machines = false;
  for (const auto& c : want.series) {
    INFO("series " << c.info.name);
    CHECK(same(read_all(f.get(), c.info.name, c.data), c.data));
    saw_machines = saw_machines || c.info.name == "machines_running";
  }
  CHECK(saw_machines);
  std::size_t job_rows = 0;
  for (const auto& t : want.tables) {
    const h5::Handle group(h5::check(H5Gopen2(f.get(), t.group.c_str(), H5P_DEFAULT), "H5Gopen2"), H5Gclose);
    for (const auto& c : t.columns) {
      INFO("table " << t.group << " column " << c.info.name);
      CHECK(same(read_all(group.get(), c.info.name, c.data), c.data));
    }
    if (t.group == "jobs") job_rows = out::hdf5::size_of(t.columns[0].data);
  }
  CHECK(job_rows > 200);  // several chunks of 50 rows, and a last partial one
  // Jobs still queued or running at the horizon have no end: NaT, as in the buffered table.
  for (const auto& t : want.tables)
    if (t.group == "jobs")
      for (const auto& c : t.columns)
        if (c.info.name == "end") {
          const auto& end = std::get<std::vector<std::int64_t>>(c.data);
          CHECK(std::count(end.begin(), end.end(), out::kNoTime) > 0);
        }
}

TEST_CASE("a run that fails while streaming leaves no file behind", "[stream]") {
  const fs::path folder = fresh_folder("stream-fail");
  const fs::path path = folder / "run.h5";
  const hs::Scenario scenario = load();
  SECTION("an exception in the run") {
    struct Stop {};
    CHECK_THROWS_AS(
        [&] {
          out::OutputFile file(path);
          out::StreamWriter writer(file.temporary());
          hs::Simulation sim(scenario);
          sim.stream_to(writer, 16);
          int samples = 0;
          sim.set_progress_observer([&](hs::SimTime) {
            if (++samples == 100) throw Stop{};  // after several blocks went to the file
          });
          sim.run();
        }(),
        Stop);
  }
  SECTION("a layout the writer refuses") {
    CHECK_THROWS_AS(
        [&] {
          out::OutputFile file(path);
          out::StreamWriter writer(file.temporary());
          out::RunDataset layout;
          layout.time_units = "seconds since 2024-01-01 00:00:00";
          layout.series.push_back({{"power", "MW", "power"}, std::vector<double>{}});
          writer.begin(layout);
          // A table named as a series: refused on the writer thread, reported by finish().
          writer.table_rows(out::Table{"power", "row", "clash", {{{"x", "1", "x"}, std::vector<double>{1.0}}}});
          writer.finish({});
          file.commit_written();
        }(),
        std::invalid_argument);
  }
  CHECK(fs::is_empty(folder));
}
