#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "models/bitcoin/bitcoin_catalogue.hpp"
#include "sim/config/document.hpp"

using namespace hybridsim::models::bitcoin;
using hybridsim::sim::config::BuildContext;
using hybridsim::sim::config::Document;
using hybridsim::sim::config::read_model;
using hybridsim::sim::config::ScenarioError;
using hybridsim::sim::Rng;
using hybridsim::sim::kSecondsPerDay;

namespace {

const BitcoinCatalogue& catalogue() {
  static const BitcoinCatalogue c = [] {
    BitcoinCatalogue out;
    register_bitcoin_models(out);
    return out;
  }();
  return c;
}

// A scratch folder for CSV files, removed at the end of the test.
struct TempDir {
  std::filesystem::path path;
  TempDir() : path(std::filesystem::temp_directory_path() / ("hybridsim-btc-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  void write(const std::string& name, const std::string& text) const { std::ofstream(path / name) << text; }
};

BuildContext context(const std::string& dir, std::int64_t epoch, std::int64_t horizon_s) {
  BuildContext c;
  c.epoch_unix_s = epoch;
  c.horizon_s = horizon_s;
  c.scenario_dir = dir;
  return c;
}

template <typename Interface>
auto build(const hybridsim::sim::config::Registry<Interface>& registry, const std::string& yaml, const BuildContext& ctx = {}) {
  Document doc = Document::load_string(yaml, "scenario.yaml");
  return read_model(doc, doc.root(), "world.x", registry, ctx).make();
}

constexpr std::int64_t k2024_01_01 = 1'704'067'200;

}  // namespace

TEST_CASE("every issue-3 model name is registered") {
  const auto& c = catalogue();
  for (const char* n : {"constant", "gbm", "merton", "regime_switching", "halving_response", "csv"}) CHECK(c.btc_price.find(n));
  for (const char* n : {"growth", "csv", "hashrate_response"}) CHECK(c.network.find(n));
  for (const char* n : {"constant", "share_of_subsidy", "stochastic"}) CHECK(c.fees.find(n));
  for (const char* n : {"fpps", "solo"}) CHECK(c.pool.find(n));
}

TEST_CASE("models build from YAML with their defaults") {
  const auto& c = catalogue();
  CHECK(build(c.btc_price, "{model: gbm, initial_usd: 64000, vol_per_year: 0.5}")->initial_usd() == 64000);
  CHECK(build(c.btc_price, "{model: merton, initial_usd: 1, vol_per_year: 0.5, jumps_per_year: 3, jump_vol: 0.1}"));
  CHECK(build(c.btc_price, "{model: regime_switching, initial_usd: 1, bull: {drift_per_year: 1, vol_per_year: 0.5},"
                           " bear: {drift_per_year: -0.5, vol_per_year: 0.8}, bull_to_bear_per_year: 1, bear_to_bull_per_year: 1}"));
  CHECK(build(c.btc_price, "{model: halving_response, initial_usd: 1, vol_per_year: 0.5, halving_log_jump: 0.1}"));
  CHECK(build(c.network, "{model: growth, growth_per_year: 0.3}")->initial_ths(7.0) == 7.0);
  CHECK(build(c.network, "{model: hashrate_response, growth_per_year: 0.3, fleet_efficiency_j_per_th: {p10: 15, p50: 22, p90: 30}}"));
  const auto pool = build(c.pool, "{model: fpps}");
  PayoutState s{1.0, 10.0, 1e12, 100'000'000, 0.0};
  CHECK(pool->accrual_btc_per_s(s) == Approx(0.98));
  CHECK(build(c.fees, "{model: stochastic, mean_share: 0.05, spike: {rate_per_year: 10}}")->expected_fees_sat(0, 100) > 5.0);
}

TEST_CASE("bad parameters are ScenarioErrors naming the key") {
  const auto& c = catalogue();
  CHECK_THROWS_WITH(build(c.btc_price, "{model: gbm, initial_usd: 1, vol_per_year: -1}"), Catch::Contains("vol_per_year"));
  CHECK_THROWS_AS(build(c.pool, "{model: fpps, fee: 1}"), ScenarioError);
  CHECK_THROWS_WITH(build(c.fees, "{model: stochastic, mean_share: 0.1, mean_btc_per_block: 0.1}"), Catch::Contains("exactly one"));
  CHECK_THROWS_WITH(build(c.fees, "{model: stochastic}"), Catch::Contains("exactly one"));
  CHECK_THROWS_WITH(build(c.network, "{model: hashrate_response, growth_per_year: 0.3, fleet_efficiency_j_per_th: {p10: 30}}"),
                    Catch::Contains("p10 < p50 < p90"));
  CHECK_THROWS_AS(build(c.btc_price, "{model: regime_switching, initial_usd: 1, bull: {drift_per_year: 1, vol_per_year: 0.5},"
                                     " bear: {drift_per_year: -0.5, vol_per_year: 0.8}, bull_to_bear_per_year: 0, bear_to_bull_per_year: 0}"),
                  ScenarioError);
}

TEST_CASE("csv price replays a file relative to the scenario, interpolating linearly") {
  TempDir dir;
  dir.write("price.csv", "date,price,volume\n2024-01-01,40000,1\n2024-01-02,44000,2\n2024-01-03T12:00:00Z,41000,3\n");
  const auto ctx = context(dir.path.string(), k2024_01_01, 2 * kSecondsPerDay);
  auto model = build(catalogue().btc_price, "{model: csv, path: price.csv}", ctx);
  Rng rng(1);
  CHECK(model->initial_usd() == 40000);
  CHECK(model->next_usd(0, {0, 6 * 3600}, rng) == Approx(41000));
  CHECK(model->next_usd(0, {kSecondsPerDay, 18 * 3600}, rng) == Approx(42500));  // half of 36 h to 41000
  auto volume = build(catalogue().btc_price, "{model: csv, path: price.csv, column: volume}", ctx);
  CHECK(volume->initial_usd() == 1);
}

TEST_CASE("csv errors name the file and line, or the coverage problem") {
  TempDir dir;
  dir.write("bad.csv", "date,value\n2024-01-01,1\n2024-01-02,abc\n");
  dir.write("order.csv", "2024-01-01,1\n2024-01-03,2\n2024-01-02,3\n");
  dir.write("short.csv", "date,value\n2024-01-01,1\n2024-01-02,2\n");
  dir.write("zero.csv", "date,value\n2024-01-01,1\n2024-01-02,0\n2024-02-01,3\n");
  const auto ctx = context(dir.path.string(), k2024_01_01, 10 * kSecondsPerDay);
  const auto& r = catalogue().btc_price;
  CHECK_THROWS_WITH(build(r, "{model: csv, path: bad.csv}", ctx), Catch::Contains("bad.csv:3:") && Catch::Contains("abc"));
  CHECK_THROWS_WITH(build(r, "{model: csv, path: order.csv}", ctx), Catch::Contains("order.csv:3:"));
  CHECK_THROWS_WITH(build(r, "{model: csv, path: missing.csv}", ctx), Catch::Contains("missing.csv") && Catch::Contains("cannot open"));
  CHECK_THROWS_WITH(build(r, "{model: csv, path: short.csv}", ctx), Catch::Contains("after_end: hold"));
  CHECK(build(r, "{model: csv, path: short.csv, after_end: hold}", ctx));
  CHECK_THROWS_WITH(build(r, "{model: csv, path: zero.csv}", ctx), Catch::Contains("zero.csv:3:"));
  CHECK_THROWS_AS(build(r, "{model: csv, path: short.csv, after_end: hold}", context(dir.path.string(), k2024_01_01 - 1, 0)),
                  ScenarioError);
}

TEST_CASE("csv network replays hourly data in the file's unit") {
  TempDir dir;
  dir.write("h.csv", "time,hashrate\n2024-01-01T00:00:00Z,600\n2024-01-01T01:00:00Z,620\n2024-01-01T02:00Z,610\n");
  auto net = build(catalogue().network, "{model: csv, path: h.csv, unit: EH/s}", context(dir.path.string(), k2024_01_01, 7200));
  Rng rng(1);
  CHECK(net->initial_ths(1.0) == Approx(600e6));
  CHECK(net->next_ths(0, NetworkStep{0, 1800}, rng) == Approx(610e6));
  CHECK(net->next_ths(0, NetworkStep{3600, 3600}, rng) == Approx(610e6));
}
