#include "sim/output/recorder.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/core/ledger.hpp"

namespace out = hybridsim::sim::output;
using hybridsim::sim::Flow;
using hybridsim::sim::Ledger;

namespace {

const std::vector<std::string> halls{"mining", "hpc"};

const out::Column& series(const out::RunDataset& data, const std::string& name) {
  for (const auto& column : data.series) {
    if (column.info.name == name) return column;
  }
  FAIL("no series " << name);
  throw std::logic_error("unreachable");
}

template <typename T>
const std::vector<T>& values(const out::RunDataset& data, const std::string& name) {
  return std::get<std::vector<T>>(series(data, name).data);
}

}  // namespace

TEST_CASE("2-D stocks record one row per sample, time-major", "[recorder]") {
  out::Recorder recorder;
  double mining_mw = 10.0;
  double hpc_mw = 2.0;
  std::int64_t old_machines = 100;
  recorder.stock({"price_usd", "USD", "price", ""}, [&] { return mining_mw * 100.0; });
  recorder.stock_2d({"hall_power_mw", "MW", "power by hall", ""}, "hall", halls,
                    [&](std::span<double> row) {
                      REQUIRE(row.size() == 2);
                      row[0] = mining_mw;
                      row[1] = hpc_mw;
                    });
  recorder.stock_int_2d({"machines_running", "1", "machines by cohort", ""}, "cohort",
                        {"S19", "S21", "S21 XP"}, [&](std::span<std::int64_t> row) {
                          REQUIRE(row.size() == 3);
                          row[0] = old_machines;
                          row[2] = 7;  // row[1] left alone: reads 0
                        });

  recorder.sample(3600);
  mining_mw = 11.5;
  hpc_mw = -0.5;
  old_machines = 90;
  recorder.sample(7200);
  const auto data = recorder.take("seconds since 2024-01-01 00:00:00");

  CHECK(data.time_s == std::vector<std::int64_t>{3600, 7200});
  REQUIRE(data.series.size() == 3);
  CHECK(data.series[0].info.name == "price_usd");
  CHECK_FALSE(data.series[0].second.has_value());

  const auto& power = series(data, "hall_power_mw");
  REQUIRE(power.second.has_value());
  CHECK(power.second->name == "hall");
  CHECK(power.second->labels == halls);
  CHECK(power.info.cell_methods.empty());
  CHECK(values<double>(data, "hall_power_mw") == std::vector<double>{10.0, 2.0, 11.5, -0.5});

  const auto& machines = series(data, "machines_running");
  REQUIRE(machines.second.has_value());
  CHECK(machines.second->name == "cohort");
  CHECK(machines.second->labels == std::vector<std::string>{"S19", "S21", "S21 XP"});
  CHECK(values<std::int64_t>(data, "machines_running") ==
        std::vector<std::int64_t>{100, 0, 7, 90, 0, 7});
}

TEST_CASE("a 2-D stock element the sampler leaves alone reads NaN", "[recorder]") {
  out::Recorder recorder;
  recorder.stock_2d({"hall_power_mw", "MW", "power by hall", ""}, "hall", halls,
                    [](std::span<double> row) { row[1] = 4.0; });
  recorder.sample(60);
  recorder.sample(120);
  const auto data = recorder.take("seconds since 2024-01-01 00:00:00");
  const auto& v = values<double>(data, "hall_power_mw");
  REQUIRE(v.size() == 4);
  CHECK(std::isnan(v[0]));
  CHECK(v[1] == 4.0);
  CHECK(std::isnan(v[2]));
  CHECK(v[3] == 4.0);
}

TEST_CASE("flow_2d records per-interval amounts whose sums are the totals", "[recorder]") {
  Ledger ledger;
  Flow& mining = ledger.flow();
  Flow& hpc = ledger.flow();
  // Accrued before the declaration: not part of the recorded run, as for flow().
  mining.add(1000.0);

  out::Recorder recorder;
  recorder.flow({"energy_mwh", "MWh", "energy", ""}, mining);
  recorder.flow_2d({"hall_energy_mwh", "MWh", "energy by hall", ""}, "hall", halls,
                   {&mining, &hpc});

  mining.rate_per_s = 2.0;
  hpc.rate_per_s = 0.5;
  ledger.integrate(3600);
  recorder.sample(3600);
  hpc.add(7.0);
  ledger.integrate(1800);
  mining.rate_per_s = 0.0;
  ledger.integrate(1800);
  recorder.sample(7200);
  ledger.integrate(600);  // a last, shorter interval
  recorder.sample(7800);
  const auto data = recorder.take("seconds since 2024-01-01 00:00:00");

  const auto& hall = series(data, "hall_energy_mwh");
  CHECK(hall.info.cell_methods == "time: sum");
  REQUIRE(hall.second.has_value());
  CHECK(hall.second->labels == halls);
  const auto& v = values<double>(data, "hall_energy_mwh");
  REQUIRE(v.size() == 6);
  CHECK(v == std::vector<double>{7200.0, 1800.0, 3600.0, 1807.0, 0.0, 300.0});

  double mining_sum = 0.0;
  double hpc_sum = 0.0;
  for (std::size_t t = 0; t < 3; ++t) {
    mining_sum += v[t * 2];
    hpc_sum += v[t * 2 + 1];
  }
  CHECK(mining_sum == mining.value() - 1000.0);
  CHECK(hpc_sum == hpc.value());
  // The mining column matches the 1-D flow of the same Flow, interval by interval.
  const auto& one_d = values<double>(data, "energy_mwh");
  CHECK(one_d == std::vector<double>{v[0], v[2], v[4]});
}

TEST_CASE("the recorder keeps declaration order across 1-D and 2-D series", "[recorder]") {
  Flow energy;
  out::Recorder recorder;
  recorder.flow_2d({"hall_energy_mwh", "MWh", "", ""}, "hall", halls, {&energy, &energy});
  recorder.stock({"price_usd", "USD", "", ""}, [] { return 1.0; });
  recorder.stock_int_2d({"machines", "1", "", ""}, "cohort", {"a"}, [](auto) {});
  recorder.flow({"energy_mwh", "MWh", "", ""}, energy);
  recorder.stock_2d({"hall_power_mw", "MW", "", ""}, "hall", halls, [](auto) {});
  recorder.stock_int({"height", "1", "", ""}, [] { return std::int64_t{3}; });
  recorder.sample(1);
  const auto data = recorder.take("seconds since 2024-01-01 00:00:00");
  std::vector<std::string> names;
  for (const auto& column : data.series) names.push_back(column.info.name);
  CHECK(names == std::vector<std::string>{"hall_energy_mwh", "price_usd", "machines",
                                          "energy_mwh", "hall_power_mw", "height"});
}

TEST_CASE("the recorder rejects inconsistent 2-D declarations", "[recorder]") {
  Flow a;
  Flow b;
  out::Recorder recorder;
  recorder.stock_2d({"hall_power_mw", "MW", "", ""}, "hall", halls, [](auto) {});
  std::size_t expected_series = 1;

  SECTION("one dimension with other labels") {
    CHECK_THROWS_AS(recorder.stock_2d({"hall_it_power_mw", "MW", "", ""}, "hall",
                                      {"hpc", "mining"}, [](auto) {}),
                    std::logic_error);
    CHECK_THROWS_AS(
        recorder.flow_2d({"hall_energy_mwh", "MWh", "", ""}, "hall", {"mining"}, {&a}),
        std::logic_error);
    CHECK_THROWS_AS(recorder.stock_int_2d({"halls_on", "1", "", ""}, "hall",
                                          {"mining", "hpc", "cooling"}, [](auto) {}),
                    std::logic_error);
  }
  SECTION("one dimension with the same labels is fine") {
    CHECK_NOTHROW(recorder.flow_2d({"hall_energy_mwh", "MWh", "", ""}, "hall", halls, {&a, &b}));
    expected_series = 2;
  }
  SECTION("as many flows as labels, none null") {
    CHECK_THROWS_AS(recorder.flow_2d({"hall_energy_mwh", "MWh", "", ""}, "hall", halls, {&a}),
                    std::logic_error);
    CHECK_THROWS_AS(
        recorder.flow_2d({"hall_energy_mwh", "MWh", "", ""}, "hall", halls, {&a, nullptr}),
        std::logic_error);
  }
  recorder.sample(1);
  // A rejected declaration leaves no series behind.
  const auto data = recorder.take("seconds since 2024-01-01 00:00:00");
  REQUIRE(data.series.size() == expected_series);
  CHECK(data.series[0].info.name == "hall_power_mw");
  CHECK(std::get<std::vector<double>>(data.series[0].data).size() == 2);
}

namespace {

// Keeps what a streaming recorder hands over.
struct KeepingSink final : out::RecordSink {
  out::RunDataset layout;
  std::vector<out::RunDataset> blocks;
  void begin(const out::RunDataset& l) override { layout = l; }
  void series_block(out::RunDataset block) override { blocks.push_back(std::move(block)); }
  void table_rows(out::Table) override {}
};

// A recorder with a stock, an integer 2-D stock and a flow that accrues `t` at sample t.
struct Sampled {
  Ledger ledger;
  Flow& energy = ledger.flow();
  double t = 0;
  out::Recorder recorder;
  Sampled() {
    recorder.stock({"t", "s", "", ""}, [this] { return t; });
    recorder.stock_int_2d({"twice", "1", "", ""}, "hall", halls, [this](std::span<std::int64_t> row) {
      row[0] = static_cast<std::int64_t>(2 * t);
      row[1] = -static_cast<std::int64_t>(2 * t);
    });
    recorder.flow({"energy_mwh", "MWh", "", ""}, energy);
  }
  void sample(int k) {
    t = k;
    energy.add(k);
    recorder.sample(k);
  }
};

}  // namespace

TEST_CASE("in memory, sampling past what reserve() asked for keeps every sample in order", "[recorder]") {
  Sampled s;
  s.recorder.reserve(3);
  for (int k = 1; k <= 10; ++k) s.sample(k);
  const auto data = s.recorder.take("seconds since 2024-01-01 00:00:00");
  REQUIRE(data.time_s.size() == 10);
  const auto& t = values<double>(data, "t");
  const auto& twice = values<std::int64_t>(data, "twice");
  const auto& energy = values<double>(data, "energy_mwh");
  REQUIRE(t.size() == 10);
  REQUIRE(twice.size() == 20);
  REQUIRE(energy.size() == 10);
  for (int k = 1; k <= 10; ++k) {
    CHECK(data.time_s[k - 1] == k);
    CHECK(t[k - 1] == k);
    CHECK(twice[2 * (k - 1)] == 2 * k);
    CHECK(twice[2 * (k - 1) + 1] == -2 * k);
    CHECK(energy[k - 1] == k);  // the amount accrued over the interval ending at k
  }
}

TEST_CASE("a streaming recorder hands over full blocks, then the rest, each exactly its samples", "[recorder]") {
  Sampled s;
  KeepingSink sink;
  s.recorder.stream_to(sink, 4);
  for (int k = 1; k <= 10; ++k) s.sample(k);
  s.recorder.finish_stream();
  REQUIRE(sink.layout.series.size() == 3);
  REQUIRE(sink.blocks.size() == 3);
  int k = 1;
  for (std::size_t b = 0; b < sink.blocks.size(); ++b) {
    const auto& block = sink.blocks[b];
    const std::size_t n = b < 2 ? 4 : 2;
    REQUIRE(block.time_s.size() == n);
    REQUIRE(values<double>(block, "t").size() == n);
    REQUIRE(values<std::int64_t>(block, "twice").size() == 2 * n);
    REQUIRE(values<double>(block, "energy_mwh").size() == n);
    for (std::size_t i = 0; i < n; ++i, ++k) {
      CHECK(block.time_s[i] == k);
      CHECK(values<double>(block, "t")[i] == k);
      CHECK(values<std::int64_t>(block, "twice")[2 * i + 1] == -2 * k);
      CHECK(values<double>(block, "energy_mwh")[i] == k);
    }
  }
  // What take() returns of a stream is the layout alone.
  const auto rest = s.recorder.take("seconds since 2024-01-01 00:00:00");
  CHECK(rest.time_s.empty());
  CHECK(values<double>(rest, "t").empty());
}

TEST_CASE("a series declared after the first sample is refused", "[recorder]") {
  Sampled s;
  s.sample(1);
  CHECK_THROWS_AS(s.recorder.stock({"late", "1", "", ""}, [] { return 1.0; }), std::logic_error);
  CHECK_THROWS_AS(s.recorder.flow({"late_flow", "1", "", ""}, s.energy), std::logic_error);
}
