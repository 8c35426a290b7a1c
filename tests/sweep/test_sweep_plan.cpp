// The sweep block read against a base scenario: members, seeds and values, and every kind of
// bad input with its exact message.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "models/catalogue.hpp"
#include "sim/sweep/seeds.hpp"
#include "sim/sweep/sweep_plan.hpp"

using namespace hybridsim;
using namespace hybridsim::sweep;
namespace fs = std::filesystem;

namespace {

const std::string kBase = std::string(HYBRIDSIM_SOURCE_DIR) + "/scenarios/default.yaml";

/// Writes a sweep file {base: default.yaml, sweep: <block>} and returns its path.
std::string sweep_file(const std::string& block, const std::string& name = "s.yaml") {
  const fs::path dir = fs::temp_directory_path() / ("hybridsim-test-sweep-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path p = dir / name;
  std::ofstream(p) << "base: " << kBase << "\nsweep:\n" << block;
  return p.string();
}

SweepPlan plan_of(const std::string& block, bool force = false) {
  return SweepPlan::make(read_sweep_source(sweep_file(block), std::nullopt, {}, std::nullopt), models::plugins(), force);
}

std::string error_of(const std::string& block, bool force = false) {
  try {
    plan_of(block, force);
  } catch (const sim::config::ScenarioError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("a 2-key grid with 3 replications: members, seeds and values in order", "[sweep][plan]") {
  const auto plan = plan_of(
      "  replications: 3\n"
      "  params:\n"
      "    world.btc_price.vol_per_year: [0.4, 0.6]\n"
      "    facility.asic_cohorts[0].count: {from: 1000, to: 3000, steps: 3}\n");
  REQUIRE(plan.size() == 18);
  REQUIRE(plan.keys().size() == 2);
  CHECK(plan.keys()[0].unit == "1/sqrt(year)");
  CHECK(plan.keys()[0].type == sim::config::ParamType::kNumber);
  CHECK(plan.keys()[1].path == "facility.asic_cohorts.0.count");
  CHECK(plan.keys()[1].type == sim::config::ParamType::kInteger);
  const double vols[] = {0.4, 0.6};
  const char* counts[] = {"1000", "2000", "3000"};
  for (const Member& m : plan.members()) {
    INFO("member " << m.index);
    CHECK(m.point == m.index / 3);
    CHECK(m.replication == m.index % 3);
    CHECK(m.seed == member_seed(42, static_cast<std::uint64_t>(m.index)));
    CHECK(m.number[0] == vols[m.point / 3]);  // the last key varies fastest
    CHECK(m.text[1] == counts[m.point % 3]);
    CHECK(m.number[1] == std::stod(counts[m.point % 3]));
  }
  // The member's scenario holds its values and seed.
  const auto s = plan.load_member(plan.members()[17]);
  CHECK(s.seed == member_seed(42, 17));
  CHECK(s.resolved_yaml.find("vol_per_year: 0.6") != std::string::npos);
  CHECK(s.resolved_yaml.find("count: 3000") != std::string::npos);
}

TEST_CASE("zip, random, lhs and sobol designs over ranges with the key's units", "[sweep][plan]") {
  const auto zip = plan_of("  method: zip\n  params:\n    world.btc_price.vol_per_year: [0.4, 0.6]\n"
                           "    world.bitcoin.price_step: [1h, 2h]\n");
  REQUIRE(zip.size() == 2);
  CHECK(zip.keys()[1].unit == "s");
  CHECK(zip.members()[1].number[1] == 7200);

  const auto lhs = plan_of("  method: lhs\n  samples: 10\n  params:\n"
                           "    world.btc_price.vol_per_year: {min: 0.2, max: 0.8}\n"
                           "    world.bitcoin.price_step: {min: 30m, max: 2h}\n");
  REQUIRE(lhs.size() == 10);
  for (const auto& m : lhs.members()) {
    CHECK(m.number[0] >= 0.2);
    CHECK(m.number[0] < 0.8);
    CHECK(m.number[1] >= 1800);
    CHECK(m.number[1] <= 7200);
    CHECK(m.text[1] == std::to_string(static_cast<long long>(m.number[1])));
  }
  const auto sobol = plan_of("  method: sobol\n  samples: 4\n  params:\n"
                             "    world.btc_price.vol_per_year: {min: 0.2, max: 0.8}\n"
                             "    world.btc_price.drift_per_year: {min: 0, max: 0.4}\n"
                             "    world.network.model: [industry]\n");
  CHECK(sobol.size() == 4 * 5);
  CHECK(sobol.members()[4].sobol_block == 4);
  CHECK(sobol.keys()[2].type == sim::config::ParamType::kString);
  const auto random = plan_of("  method: random\n  samples: 5\n  replications: 2\n  common_random_numbers: true\n"
                              "  params:\n    world.btc_price.vol_per_year: {min: 0.2, max: 0.8}\n");
  REQUIRE(random.size() == 10);
  CHECK(random.members()[0].seed == random.members()[2].seed);
  CHECK(random.members()[0].seed != random.members()[1].seed);
}

TEST_CASE("bad sweep input is refused with a located message", "[sweep][plan][errors]") {
  const std::string f = sweep_file("", "s.yaml");
  CHECK(error_of("  params:\n    world.btc_price.vol_per_yer: [0.4]\n") ==
        f + ":4:5: sweep.params.world.btc_price.vol_per_yer: the scenario has no key 'world.btc_price.vol_per_yer'; "
            "near names: world.btc_price.vol_per_year, world.btc_price.drift_per_year, world.btc_price.initial_usd, "
            "world.fees.spike.rate_per_year, world.bitcoin.price_step");
  CHECK(error_of("  params:\n    world.btc_price.vol_per_year: [0.4, high]\n") ==
        f + ":4:35: sweep.params.world.btc_price.vol_per_year[1]: 'high' is not a valid value of "
            "world.btc_price.vol_per_year, which takes number >= 0 (1/sqrt(year))");
  CHECK(error_of("  params: {}\n") ==
        f + ":3:11: sweep.params: the grid is empty; give at least one key, e.g. params: "
            "{world.btc_price.vol_per_year: [0.4, 0.6]}");
  CHECK(error_of("  params:\n    world.btc_price.vol_per_year: []\n") ==
        f + ":4:35: sweep.params.world.btc_price.vol_per_year: empty list of values; give at least one value");
  CHECK(error_of("  replications: 60000\n  params:\n    world.btc_price.vol_per_year: [0.4, 0.5]\n") ==
        f + ":3:3: the sweep has 120000 members, more than the limit of 100000; check steps, samples and "
            "replications, or pass --force");
  CHECK_NOTHROW(plan_of("  replications: 60000\n  params:\n    world.btc_price.vol_per_year: [0.4, 0.5]\n", true));
  CHECK(error_of("  method: zip\n  params:\n    world.btc_price.vol_per_year: [0.4, 0.5]\n"
                 "    world.btc_price.drift_per_year: [0.1]\n") ==
        f + ":6:37: sweep.params.world.btc_price.drift_per_year: zip pairs values position by position; it has 1 "
            "values but world.btc_price.vol_per_year has 2");
  CHECK(error_of("  method: lhs\n  params:\n    world.btc_price.vol_per_year: {min: 0.1, max: 0.2}\n") ==
        f + ":3:3: sweep: method lhs needs 'samples' (the number of design points)");
  CHECK(error_of("  params:\n    horizon_years: [1, 2]\n") ==
        f + ":4:5: sweep.params.horizon_years: not sweepable: member seeds come from the base seed and the member's "
            "index (use replications), and every member shares one time axis");
  CHECK(error_of("  method: sobol\n  samples: 4\n  params:\n    world.network.model: {min: 0, max: 1}\n") ==
        f + ":6:26: sweep.params.world.network.model: a range needs a number, integer, duration or date key; "
            "world.network.model takes a string (the base has 'industry'): give a list of values");
  CHECK(error_of("  methd: grid\n  params:\n    world.btc_price.vol_per_year: [0.4]\n") ==
        f + ":3:3: sweep: unknown key 'methd'; accepted keys: method, replications, samples, seed, "
            "common_random_numbers, params");
  // A value of the right type that the model refuses: the loader's message, naming the member.
  const auto bad = plan_of("  params:\n    world.btc_price.vol_per_year: [0.4, -1]\n");
  CHECK_NOTHROW(bad.load_member(bad.members()[0]));
  try {
    bad.load_member(bad.members()[1]);
    FAIL("member 1 loaded");
  } catch (const sim::config::ScenarioError& e) {
    CHECK(std::string(e.what()).find("[sweep member 1 of 2: world.btc_price.vol_per_year=-1]") != std::string::npos);
    CHECK(e.where().origin == "--set world.btc_price.vol_per_year=-1");
  }
}
