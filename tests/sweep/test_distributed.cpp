// What shards, MPI ranks and the resume journal rest on: a member survives serialization
// whole, shard ranges partition the members, --shard is checked, and the journal gives back
// every whole record and drops a torn one.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <vector>

#include "sim/config/errors.hpp"
#include "sim/sweep/member_codec.hpp"
#include "sim/sweep/shards.hpp"
#include "sim/sweep/sweep_journal.hpp"

using namespace hybridsim::sweep;
namespace out = hybridsim::sim::output;
namespace fs = std::filesystem;

namespace {

/// A member with every kind of field: a float series, an integer series on a second axis, a
/// summary, a table with number, integer and string columns.
MemberResult sample_member(std::int64_t index) {
  out::RunDataset d;
  d.time_units = "seconds since 2024-01-01 00:00:00";
  d.time_s = {0, 3600, 7200};
  out::VariableInfo price{"btc_price_usd", "USD", "price", "", "", 0, ""};
  d.series.push_back({price, std::vector<double>{1.5, std::numeric_limits<double>::quiet_NaN(), -0.0}});
  out::VariableInfo power{"hall_power_mw", "MW", "power", "time: mean", "energy", -1, "operating_cost"};
  d.series.push_back({power, std::vector<std::int64_t>{1, 2, 3, 4, 5, 6}, out::Dimension{"hall", {"a", "b"}}});
  out::Table summary{"summary", "key", "summary", {}};
  summary.columns.push_back({{"key", "", "", "", "", 0, ""}, std::vector<std::string>{"cash_usd", "npv_usd"}});
  summary.columns.push_back({{"value", "", "", "", "", 0, ""}, std::vector<double>{10.0, -2.5}});
  summary.columns.push_back({{"units", "", "", "", "", 0, ""}, std::vector<std::string>{"USD", "USD"}});
  summary.columns.push_back({{"description", "", "", "", "", 0, ""}, std::vector<std::string>{"cash", "npv"}});
  d.tables.push_back(summary);
  out::Table events{"network_events", "event", "events", {}};
  events.columns.push_back({{"height", "1", "block", "", "", 0, ""}, std::vector<std::int64_t>{7, 8}});
  events.columns.push_back({{"kind", "", "what", "", "", 0, ""}, std::vector<std::string>{"halving", ""}});
  events.columns.push_back({{"time", "s", "when", "", "", 0, ""}, std::vector<double>{1e9, 2e9}});
  d.tables.push_back(events);
  return encode_member(index, std::move(d));
}

void require_same(const MemberResult& a, const MemberResult& b) {
  REQUIRE(a.index == b.index);
  REQUIRE(a.time_units == b.time_units);
  REQUIRE(a.time_s == b.time_s);
  REQUIRE(a.shapes == b.shapes);
  REQUIRE(a.chunks == b.chunks);
  REQUIRE(a.metrics == b.metrics);
  REQUIRE(a.summary == b.summary);
  REQUIRE(a.raw_bytes == b.raw_bytes);
  REQUIRE(a.tables.size() == b.tables.size());
  for (std::size_t t = 0; t < a.tables.size(); ++t) {
    REQUIRE(a.tables[t].group == b.tables[t].group);
    REQUIRE(a.tables[t].dimension == b.tables[t].dimension);
    REQUIRE(a.tables[t].long_name == b.tables[t].long_name);
    REQUIRE(a.tables[t].columns.size() == b.tables[t].columns.size());
    for (std::size_t c = 0; c < a.tables[t].columns.size(); ++c) {
      REQUIRE(a.tables[t].columns[c].info == b.tables[t].columns[c].info);
      REQUIRE(a.tables[t].columns[c].data == b.tables[t].columns[c].data);
      REQUIRE(a.tables[t].columns[c].second == b.tables[t].columns[c].second);
    }
  }
}

}  // namespace

TEST_CASE("A member survives serialization field for field", "[codec]") {
  const MemberResult r = sample_member(5);
  REQUIRE(r.shapes.size() == 2);
  REQUIRE(r.shapes[1].second->labels == std::vector<std::string>{"a", "b"});
  REQUIRE(r.shapes[1].info.account == "energy");
  REQUIRE(r.tables.size() == 1);  // the summary table became metrics
  const auto bytes = serialize_member(r);
  require_same(deserialize_member(bytes), r);

  SECTION("cut bytes are refused, never read past their end") {
    for (const std::size_t keep : {std::size_t{0}, std::size_t{3}, bytes.size() / 2, bytes.size() - 1}) {
      const std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(keep));
      REQUIRE_THROWS_AS(deserialize_member(cut), std::runtime_error);
    }
    auto longer = bytes;
    longer.push_back(0);
    REQUIRE_THROWS_AS(deserialize_member(longer), std::runtime_error);
  }
}

TEST_CASE("Shard ranges partition the members into near-equal contiguous ranges", "[shards]") {
  for (const std::int64_t members : {1, 7, 12, 1000, 100003}) {
    for (const std::int64_t n : {1, 2, 3, 7, 64}) {
      if (n > members) continue;
      std::int64_t expected_first = 0;
      for (std::int64_t i = 1; i <= n; ++i) {
        const auto [first, last] = shard_range(members, {i, n});
        REQUIRE(first == expected_first);
        REQUIRE(last - first >= members / n);
        REQUIRE(last - first <= members / n + 1);
        expected_first = last;
      }
      REQUIRE(expected_first == members);
    }
  }
  // 12 members in 3 shards: 0..3, 4..7, 8..11 (by hand).
  REQUIRE(shard_range(12, {2, 3}) == std::pair<std::int64_t, std::int64_t>{4, 8});
  // 10 in 4: floor(k·10/4) = 0, 2, 5, 7, 10.
  REQUIRE(shard_range(10, {2, 4}) == std::pair<std::int64_t, std::int64_t>{2, 5});
}

TEST_CASE("A shard spec is i/N with i in 1..N and N at most the member count", "[shards]") {
  REQUIRE(parse_shard("3/4", 12).index == 3);
  REQUIRE(parse_shard("3/4", 12).count == 4);
  using hybridsim::sim::config::ScenarioError;
  REQUIRE_THROWS_WITH(parse_shard("0/4", 12), "--shard 0/4: i must be in 1..N (here 1..4)");
  REQUIRE_THROWS_WITH(parse_shard("5/4", 12), "--shard 5/4: i must be in 1..N (here 1..4)");
  REQUIRE_THROWS_WITH(parse_shard("2", 12), Catch::Contains("expected i/N"));
  REQUIRE_THROWS_WITH(parse_shard("a/b", 12), Catch::Contains("expected i/N"));
  REQUIRE_THROWS_WITH(parse_shard("1/0", 12), Catch::Contains("N must be at least 1"));
  REQUIRE_THROWS_WITH(parse_shard("1/13", 12), Catch::Contains("the sweep has 12 members"));
  REQUIRE_THROWS_AS(parse_shard("-1/4", 12), ScenarioError);
}

TEST_CASE("The journal gives back every whole record and cuts a torn one", "[journal]") {
  const fs::path dir = fs::temp_directory_path() / ("hybridsim-journal-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path path = SweepJournal::path_for(dir / "out.h5");
  REQUIRE(path.filename() == "out.h5.journal");
  {
    auto j = SweepJournal::create(path, "0123456789abcdef", 10);
    j.append(sample_member(3));
    j.append(sample_member(1));
  }
  const auto whole = fs::file_size(path);
  {
    std::ofstream torn(path, std::ios::app | std::ios::binary);
    const auto record = SweepJournal::record(sample_member(4));
    torn.write(reinterpret_cast<const char*>(record.data()), static_cast<std::streamsize>(record.size() / 2));
  }
  std::vector<std::int64_t> seen;
  SweepJournal again;
  REQUIRE(SweepJournal::replay(path, "0123456789abcdef", 10, [&](MemberResult r) {
    require_same(r, sample_member(r.index));
    seen.push_back(r.index);
  }, again));
  REQUIRE(seen == std::vector<std::int64_t>{3, 1});
  REQUIRE(fs::file_size(path) == whole);  // the torn record is gone
  again.append(sample_member(7));
  again = SweepJournal();
  seen.clear();
  REQUIRE(SweepJournal::replay(path, "0123456789abcdef", 10, [&](MemberResult r) { seen.push_back(r.index); }, again));
  REQUIRE(seen == std::vector<std::int64_t>{3, 1, 7});

  SECTION("another sweep's journal is not replayed") {
    SweepJournal other;
    REQUIRE_FALSE(SweepJournal::replay(path, "fedcba9876543210", 10, [](MemberResult) {}, other));
    REQUIRE_FALSE(SweepJournal::replay(path, "0123456789abcdef", 11, [](MemberResult) {}, other));
    REQUIRE_FALSE(SweepJournal::replay(dir / "none.journal", "0123456789abcdef", 10, [](MemberResult) {}, other));
  }
  again.remove();
  REQUIRE_FALSE(fs::exists(path));
  fs::remove_all(dir);
}
