// GPU clusters that arrive and retire, against hand-computed figures: the purchase lands on
// the arrival (a date, or a conversion's completion), depreciation runs from it, and the
// cluster draws no power and runs no jobs before it arrives or after it retires.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <variant>

#include "models/catalogue.hpp"
#include "sim/config/document.hpp"
#include "sim/config/errors.hpp"
#include "sim/run/scenario.hpp"
#include "sim/run/simulation.hpp"
#include "tests/run/scenario_text.hpp"

namespace fs = std::filesystem;
namespace hs = hybridsim::sim;
using hybridsim::test::mini_with;

namespace {

struct Run {
  hs::RunSummary summary;
  hs::output::RunDataset data;
  hs::SimTime horizon_s = 0;
};

Run run(const std::string& text, const std::string& origin) {
  auto doc = hs::config::Document::load_string(text, origin);
  hs::Simulation sim(hs::load_scenario(doc, hybridsim::models::plugins()));
  Run r;
  r.horizon_s = sim.scenario().horizon_s;
  r.data = sim.run();
  r.summary = sim.summary();
  return r;
}

const std::vector<double>& series(const Run& r, const std::string& name) {
  for (const auto& c : r.data.series)
    if (c.info.name == name) return std::get<std::vector<double>>(c.data);
  FAIL("no series " << name);
  throw;
}

double total(const Run& r, const std::string& name) {
  double t = 0;
  for (double x : series(r, name)) t += x;
  return t;
}

std::string error_of(const std::string& text) {
  try {
    auto doc = hs::config::Document::load_string(text, "bad.yaml");
    (void)hs::load_scenario(doc, hybridsim::models::plugins());
  } catch (const hs::config::ScenarioError& e) {
    return e.what();
  }
  return "";
}

// An AI-only site: 8 H100 SXM (700 W at load, 100 W idle, PUE 1) bought at 25,000 USD each,
// depreciated over 1 year; the spot GPU-hour at 2 USD; power at 50 USD/MWh; marginal_value.
// The cluster arrives on 2024-06-03 (t = 2 d) and retires on 2024-06-05 (t = 4 d). Jobs (all
// 8 GPUs, no contract): 2024-06-01 12:00 for 10 h (waits for the arrival, runs 06-03 00:00 to
// 10:00), 2024-06-04 00:00 for 5 h (runs at once), 2024-06-05 06:00 for 1 h (never runs).
const char* kAiSite =
    "name: life\nstart: 2024-06-01\nhorizon_years: 0.02\nrecord_every: 1h\n"
    "world:\n"
    "  power_price: {model: fixed, price_usd_per_mwh: 50}\n"
    "facility:\n"
    "  power_cap_mw: 10\n"
    "  halls: [{name: hpc, pue: 1.0}]\n"
    "  dispatch: {model: marginal_value}\n"
    "  gpu_clusters:\n"
    "    - {name: own, gpu: H100 SXM, count: 8, hall: hpc, purchase_usd_per_gpu: 25000, depreciation_years: 1,\n"
    "       arrives: 2024-06-03, retires: 2024-06-05}\n"
    "  gpu_price: {model: constant, usd_per_gpu_hour: 2}\n"
    "  jobs: {model: trace, file: jobs.csv}\n";

}  // namespace

TEST_CASE("a GPU cluster is paid on arrival, depreciates from it, and runs only between arrival and retirement",
          "[finance][run][gpu_life]") {
  const fs::path dir = fs::temp_directory_path() / "hybridsim_gpu_life";
  fs::create_directories(dir);
  std::ofstream(dir / "jobs.csv") << "submit,gpus,hours\n"
                                     "2024-06-01T12:00:00Z,8,10\n"
                                     "2024-06-04T00:00:00Z,8,5\n"
                                     "2024-06-05T06:00:00Z,8,1\n";
  const Run r = run(kAiSite, (dir / "life.yaml").string());
  const auto& capex = series(r, "gpu_capex_usd");
  const auto& gpu_mw = series(r, "gpu_power_mw");
  // Hourly stamps: index k is the end of hour k + 1; the arrival is at hour 48, the retirement at 96.
  for (std::size_t k = 0; k < capex.size(); ++k) {
    INFO("hour " << k + 1);
    CHECK(capex[k] == (k + 1 == 48 ? 8 * 25000.0 : 0.0));
    if (k + 1 < 48 || k + 1 >= 96) CHECK(gpu_mw[k] == 0.0);
  }
  // Busy 10 h from the arrival and 5 h on 06-04: 8 GPUs × 15 h × 2 USD = 240 USD of spot sales.
  CHECK(total(r, "gpu_spot_sales_usd") == Approx(8 * 15 * 2.0).epsilon(1e-12));
  CHECK(gpu_mw[48 + 4] == Approx(8 * 700e-6).epsilon(1e-12));  // hour 53: the first job runs
  // Straight line over 1 year from the arrival, stopped by the retirement after 2 days.
  CHECK(total(r, "gpu_depreciation_usd") ==
        Approx(8 * 25000.0 * 2 * 86400.0 / static_cast<double>(hs::kSecondsPerYear)).epsilon(1e-9));
  CHECK(total(r, "gpu_capex_usd") == 8 * 25000.0);
  // Utilisation counts the GPUs in place: 15 busy hours of 48 in place.
  CHECK(r.summary.value("mean_gpu_utilization") == Approx(15.0 / 48.0).epsilon(1e-12));
}

TEST_CASE("an owned cluster that starts with a conversion is paid and powered on its completion",
          "[finance][run][gpu_life][conversion]") {
  // The mini site (a 10 MW mining hall) converts 4 MW to an hpc hall (PUE 1.3) on 2024-01-11
  // with a 10-day lead time: the owned cluster arrives on 2024-01-21 (day 20).
  const std::string text =
      mini_with("    - {name: mining, pue: 1.05}\n",
                "    - {name: mining, pue: 1.05, limit_mw: 10}\n    - {name: hpc, pue: 1.3}\n") +
      "  gpu_clusters:\n"
      "    - {name: own, gpu: H100 SXM, count: 8, hall: hpc, purchase_usd_per_gpu: 25000, starts_with: c1}\n"
      "  conversions:\n"
      "    - {name: c1, from: mining, to: hpc, mw: 4, capex_usd_per_mw: 1.0e6, lead_time_days: 10, at: 2024-01-11}\n";
  const Run r = run(text, "conv.yaml");
  const auto& capex = series(r, "gpu_capex_usd");
  const auto& gpu_mw = series(r, "gpu_power_mw");
  for (std::size_t k = 0; k < capex.size(); ++k) {
    INFO("day " << k + 1);
    CHECK(capex[k] == (k + 1 == 20 ? 8 * 25000.0 : 0.0));
    if (k + 1 < 20) CHECK(gpu_mw[k] == 0.0);
  }
  CHECK(gpu_mw[25] > 0.0);  // idle GPUs draw once in place
  // Depreciation over the default 5 years, from day 20 to the horizon (0.1 year).
  const double in_place_s = static_cast<double>(r.horizon_s - 20 * 86400);
  CHECK(total(r, "gpu_depreciation_usd") ==
        Approx(8 * 25000.0 * in_place_s / (5.0 * static_cast<double>(hs::kSecondsPerYear))).epsilon(1e-9));
}

TEST_CASE("a cluster that never arrives within the horizon is never paid", "[finance][run][gpu_life]") {
  const std::string text = mini_with("    - {name: mining, pue: 1.05}\n",
                                     "    - {name: mining, pue: 1.05}\n    - {name: hpc, pue: 1.3}\n") +
                           "  gpu_clusters:\n"
                           "    - {name: own, gpu: H100 SXM, count: 8, hall: hpc, purchase_usd_per_gpu: 25000,"
                           " arrives: 2025-01-01}\n";
  const Run r = run(text, "late.yaml");
  CHECK(total(r, "gpu_capex_usd") == 0.0);
  CHECK(total(r, "gpu_depreciation_usd") == 0.0);
  CHECK(total(r, "gpu_power_mw") == 0.0);
}

TEST_CASE("bad GPU cluster lives are rejected where they are written", "[scenario][errors][gpu_life]") {
  const std::string base = mini_with("    - {name: mining, pue: 1.05}\n",
                                     "    - {name: mining, pue: 1.05, limit_mw: 10}\n    - {name: hpc, pue: 1.3}\n");
  const auto with = [&](const std::string& cluster, const std::string& more = "") {
    return base + "  gpu_clusters:\n    - {name: own, gpu: H100 SXM, count: 8, hall: hpc" + cluster + "}\n" + more;
  };
  // Line 23 holds the cluster.
  CHECK_THAT(error_of(with(", arrives: 2024-01-10, retires: 2024-01-05")),
             Catch::StartsWith("bad.yaml:23:") &&
                 Catch::EndsWith("facility.gpu_clusters[0].retires: is not after the cluster arrives "
                                 "(2024-01-10 00:00:00); a cluster retires after it arrives"));
  CHECK_THAT(error_of(with(", retires: 2024-01-05, life_years: 1")),
             Catch::EndsWith("life_years: give either retires (a date) or life_years, not both"));
  CHECK_THAT(error_of(with(", starts_with: nowhere")),
             Catch::StartsWith("bad.yaml:23:") &&
                 Catch::EndsWith("facility.gpu_clusters[0].starts_with: unknown conversion 'nowhere'; conversions: none"));
  CHECK_THAT(error_of(with(", starts_with: c1, arrives: 2024-01-10",
                           "  conversions:\n    - {name: c1, from: mining, to: hpc, mw: 4, capex_usd_per_mw: 0,"
                           " lead_time_days: 1, at: 2024-01-11}\n")),
             Catch::EndsWith("starts_with: give either arrives (a date) or starts_with (a conversion), not both"));
}
