// Whole runs at the chain's edges: a 200-year solo run earns exactly Core's subsidy sum in
// integer satoshis; an AI-only site needs no chain section; a fee replay and the chain's
// bounds through the scenario loader.
#include <catch2/catch.hpp>

#include <cstdint>
#include <stdexcept>
#include <variant>
#include <filesystem>
#include <fstream>

#include "models/bitcoin/bitcoin_section.hpp"
#include "models/bitcoin/consensus.hpp"
#include "models/catalogue.hpp"
#include "sim/config/document.hpp"
#include "sim/config/errors.hpp"
#include "sim/run/scenario.hpp"
#include "sim/run/simulation.hpp"
#include "tests/run/scenario_text.hpp"

namespace hs = hybridsim::sim;
namespace bc = hybridsim::models::bitcoin;

namespace {
hs::Scenario load(const std::string& text) {
  auto doc = hs::config::Document::load_string(text, "test.yaml");
  return hs::load_scenario(doc, hybridsim::models::plugins());
}
}  // namespace

TEST_CASE("a 200-year solo run earns exactly Core's subsidy sum, in satoshis", "[satoshi]") {
  // The facility is (all but 10^-300 of) the network; deterministic blocks at difficulty 1,
  // no fees: it finds blocks 1 .. N, N > 6,930,000 (the last block with a subsidy).
  const std::string text =
      "name: solo\nstart: 2024-01-01T00:00:00Z\nhorizon_years: 200\nseed: 1\nrecord_every: 3650d\n"
      "world:\n"
      "  bitcoin: {start_height: 0, start_difficulty: 1, blocks: deterministic, price_step: 30d, network_step: 30d}\n"
      "  btc_price: {model: constant, initial_usd: 1}\n"
      "  network: {model: growth, initial_ths: 1.0e-300, growth_per_year: 0}\n"
      "  fees: {model: constant, btc_per_block: 0}\n"
      "  power_price: {model: fixed, price_usd_per_mwh: 0}\n"
      "facility:\n  power_cap_mw: 1\n  halls:\n    - {name: mining, pue: 1.0}\n"
      "  asic_cohorts:\n    - {model: tiny, count: 1, hashrate_ths: 7.158278826666667e-06, power_w: 1, hall: mining}\n"
      "  pool: {model: solo}\n  mining: {shutoff: false}\n";
  hs::Simulation sim(load(text));
  sim.run();
  const auto last = static_cast<std::int64_t>(sim.summary().value("final_height"));
  REQUIRE(last > 6'930'000);
  std::int64_t want = 0;
  for (std::int64_t h = 1; h <= last; ++h) want += bc::block_subsidy_sat(h);
  // Core's sum over all heights, less the genesis block's 50 BTC (height 0 is the start block).
  CHECK(want == 2'099'999'997'690'000 - 50 * bc::kCoinSat);
  CHECK(static_cast<std::int64_t>(sim.summary().value("mining_paid_sat")) == want);
}

TEST_CASE("a site without ASICs needs no chain section", "[no_chain]") {
  std::string text = hybridsim::test::kMiniScenario;
  // Drop every bitcoin key of the world and the facility.
  for (const char* line : {"  bitcoin:\n", "    start_height: 823785\n", "    start_difficulty: 72006146478567\n",
                           "  btc_price: {model: gbm, initial_usd: 44167, vol_per_year: 0.5}\n",
                           "  network: {model: growth, growth_per_year: 0.4}\n",
                           "  fees: {model: share_of_subsidy, share: 0.05}\n", "  asic_cohorts:\n",
                           "    - {model: S21, count: 2000, hashrate_ths: 200, power_w: 3500, hall: mining}\n",
                           "  pool: {model: fpps}\n"})
    text.erase(text.find(line), std::string(line).size());
  text += "  gpu_clusters:\n    - {name: cloud, gpu: H100 SXM, count: 8, hall: mining}\n";
  const hs::Scenario s = load(text);
  hs::Simulation sim(s);
  CHECK_NOTHROW(sim.run());
  CHECK_THROWS_AS(sim.summary().value("final_height"), std::out_of_range);
  // With ASICs the chain stays required.
  const std::string with_asics = hybridsim::test::mini_with("  bitcoin:\n    start_height: 823785\n    start_difficulty: 72006146478567\n", "");
  CHECK_THROWS_AS(load(with_asics), hs::config::ScenarioError);
}

TEST_CASE("start height, difficulty and window start are bounded where they enter", "[bounds]") {
  using hybridsim::test::mini_with;
  CHECK_THROWS_AS(load(mini_with("start_height: 823785", "start_height: 9223372036854775000")), hs::config::ScenarioError);
  CHECK_THROWS_AS(load(mini_with("start_height: 823785", "start_height: 1000000000001")), hs::config::ScenarioError);
  CHECK_NOTHROW(load(mini_with("start_height: 823785", "start_height: 1000000000000")));
  CHECK_THROWS_AS(load(mini_with("start_difficulty: 72006146478567", "start_difficulty: 0.5")), hs::config::ScenarioError);
  CHECK_THROWS_AS(load(mini_with("start_difficulty: 72006146478567",
                                 "start_difficulty: 72006146478567\n    window_start_time: 2024-01-02T00:00:00Z")),
                  hs::config::ScenarioError);
  CHECK_NOTHROW(load(mini_with("start_difficulty: 72006146478567",
                               "start_difficulty: 72006146478567\n    window_start_time: 2023-12-20T00:00:00Z\n"
                               "    difficulty_algorithm: asert\n    halving_interval: 105000\n    tail_emission_sat: 1000")));
}

TEST_CASE("fees replayed from a CSV, per day, step or linear", "[csv_fees]") {
  const auto dir = std::filesystem::temp_directory_path() / "hybridsim_csv_fees";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "fees.csv") << "date,fees\n2023-12-31,14.4\n2024-01-03,28.8\n2024-12-31,28.8\n";
  for (const char* mode : {"step", "linear"}) {
    INFO(mode);
    const std::string text = hybridsim::test::mini_with(
        "  fees: {model: share_of_subsidy, share: 0.05}",
        std::string("  fees: {model: csv, path: ") + (dir / "fees.csv").string() + ", per: day, interpolation: " + mode + "}");
    hs::Simulation sim(load(text));
    const hs::output::RunDataset data = sim.run();
    for (const auto& c : data.series)
      if (c.info.name == "fees_btc_per_block") {
        const auto& v = std::get<std::vector<double>>(c.data);
        // The first sample (2024-01-02 00:00): step holds 14.4 (0.1 a block); linear is two
        // thirds of the way to 28.8: 24 BTC a day, 0.16667 a block. From 2024-01-03 on, 0.2.
        CHECK(v.at(0) == Approx(std::string(mode) == "step" ? 0.1 : 24.0 / 144));
        CHECK(v.back() == Approx(0.2));
      }
  }
}
