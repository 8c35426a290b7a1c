// Common random numbers: two runs that differ in one parameter share every other draw.
#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "models/catalogue.hpp"
#include "sim/config/document.hpp"
#include "sim/config/overrides.hpp"
#include "sim/run/scenario.hpp"
#include "sim/run/simulation.hpp"
#include "tests/run/scenario_text.hpp"

namespace hs = hybridsim::sim;
using hs::config::Document;
using hs::config::Overrides;

namespace {

hs::output::RunDataset run(Document doc) {
  const hs::Scenario s = hs::load_scenario(doc, hybridsim::models::plugins());
  hs::Simulation sim(s);
  return sim.run();
}

template <typename T>
const std::vector<T>& series(const hs::output::RunDataset& d, const std::string& name) {
  for (const auto& c : d.series)
    if (c.info.name == name) return std::get<std::vector<T>>(c.data);
  FAIL("no series " << name);
  throw std::logic_error("unreachable");
}

const hs::output::Column& column(const hs::output::RunDataset& d, const std::string& group, const std::string& name) {
  for (const auto& t : d.tables)
    if (t.group == group)
      for (const auto& c : t.columns)
        if (c.info.name == name) return c;
  FAIL("no column " << group << "/" << name);
  throw std::logic_error("unreachable");
}

template <typename T>
const std::vector<T>& values(const hs::output::RunDataset& d, const std::string& group, const std::string& name) {
  return std::get<std::vector<T>>(column(d, group, name).data);
}

// (submit, gpus, hours) of the jobs billed to `contract`, in order of submission.
std::vector<std::tuple<double, std::int64_t, double>> jobs_of(const hs::output::RunDataset& d,
                                                              const std::string& contract) {
  const auto& who = values<std::string>(d, "jobs", "contract");
  const auto& submit = column(d, "jobs", "submit").data;
  const auto& gpus = values<std::int64_t>(d, "jobs", "gpus");
  const auto& hours = values<double>(d, "jobs", "duration_hours");
  std::vector<std::tuple<double, std::int64_t, double>> out;
  for (std::size_t i = 0; i < who.size(); ++i) {
    if (who[i] != contract) continue;
    const double t = std::visit([&](const auto& v) -> double {
      if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::vector<std::string>>) return 0.0;
      else return static_cast<double>(v[i]);
    }, submit);
    out.emplace_back(t, gpus[i], hours[i]);
  }
  return out;
}

// A mining facility whose hashrate cannot depend on the power price: static dispatch,
// no economic shut-off; random blocks, stochastic fees and machine failures.
Document mining(double power_usd_per_mwh) {
  std::string text = hybridsim::test::mini_with("horizon_years: 0.1", "horizon_years: 0.25");
  Document doc = Document::load_string(text, "crn.yaml");
  Overrides o;
  o.set("record_every", YAML::Node("1h"));
  o.set("world.fees", YAML::Load("{model: stochastic, mean_btc_per_block: 0.2, log_vol: 0.6}"));
  o.set("world.power_price.price_usd_per_mwh", YAML::Node(power_usd_per_mwh));
  o.set("facility.dispatch", YAML::Load("{model: static}"));
  o.set("facility.asic_cohorts[0].failure_rate_per_year", YAML::Node(0.3));
  o.apply(doc);
  return doc;
}

}  // namespace

TEST_CASE("CRN: only the power price differs, so every block and fee is the same", "[crn]") {
  const auto cheap = run(mining(20));
  const auto dear = run(mining(80));
  CHECK(series<double>(cheap, "energy_cost_usd") != series<double>(dear, "energy_cost_usd"));  // they do differ
  CHECK(series<double>(cheap, "facility_hashrate_ths") == series<double>(dear, "facility_hashrate_ths"));
  const auto& heights = series<std::int64_t>(cheap, "block_height");
  CHECK(heights == series<std::int64_t>(dear, "block_height"));
  CHECK(heights.back() - heights.front() > 1000);  // many blocks, hour by hour
  CHECK(series<double>(cheap, "fees_btc_per_block") == series<double>(dear, "fees_btc_per_block"));
  CHECK(values<double>(cheap, "network_events", "timespan_s") == values<double>(dear, "network_events", "timespan_s"));
}

TEST_CASE("CRN: a job stream keeps its jobs when another stream and a cohort are added", "[crn]") {
  const std::string hybrid = std::string(HYBRIDSIM_SOURCE_DIR) + "/scenarios/hybrid.yaml";
  const auto base = [&] {
    Document doc = Document::load_file(hybrid);
    doc.set("horizon_years=0.2");
    return doc;
  };
  const auto cloud_jobs = jobs_of(run(base()), "cloud");
  REQUIRE(cloud_jobs.size() > 30);

  Document more = base();
  Overrides o;
  // A new stream placed before the cloud's, and a third ASIC cohort.
  o.set("facility.jobs",
        YAML::Load("[{model: poisson, name: batch, rate_per_day: 40, gpus: {choices: [8]}, hours: {fixed: 1}},"
                   " {model: poisson, rate_per_day: 12, contract: cloud, gpus: {choices: [8, 64, 512], weights: [6, 3, 1]},"
                   "  hours: {lognormal: [3, 1]}}]"));
  o.set("facility.asic_cohorts",
        YAML::Load("[{model: Antminer S21 XP, count: 100, hashrate_ths: 270, power_w: 3645, hall: mining},"
                   " {model: Antminer S19 XP, count: 12000, hashrate_ths: 140, power_w: 3010, hall: mining, failure_rate_per_year: 0.08},"
                   " {model: Antminer S21, count: 14000, hashrate_ths: 200, power_w: 3500, hall: mining, failure_rate_per_year: 0.05}]"));
  o.apply(more);
  const auto with_more = run(std::move(more));
  CHECK(jobs_of(with_more, "cloud") == cloud_jobs);
  CHECK(jobs_of(with_more, "").size() > 0);  // the batch stream did submit jobs

  // Another duration law: the same arrivals and sizes, other durations.
  Document other_hours = base();
  other_hours.set("facility.jobs.hours={exponential: 20}");
  const auto changed = jobs_of(run(std::move(other_hours)), "cloud");
  REQUIRE(changed.size() == cloud_jobs.size());
  std::size_t same_hours = 0;
  for (std::size_t i = 0; i < changed.size(); ++i) {
    CHECK(std::get<0>(changed[i]) == std::get<0>(cloud_jobs[i]));
    CHECK(std::get<1>(changed[i]) == std::get<1>(cloud_jobs[i]));
    same_hours += std::get<2>(changed[i]) == std::get<2>(cloud_jobs[i]);
  }
  CHECK(same_hours == 0);
}

TEST_CASE("CRN: job streams of one name are an error", "[crn][errors]") {
  const std::string hybrid = std::string(HYBRIDSIM_SOURCE_DIR) + "/scenarios/hybrid.yaml";
  Document doc = Document::load_file(hybrid);
  doc.set("facility.jobs=[{model: poisson, rate_per_day: 1, contract: cloud, gpus: {choices: [8]}, hours: {fixed: 1}},"
          " {model: poisson, rate_per_day: 2, contract: cloud, gpus: {choices: [8]}, hours: {fixed: 1}}]");
  CHECK_THROWS_WITH(hs::load_scenario(doc, hybridsim::models::plugins()),
                    Catch::Contains("facility.jobs[1]: another job stream is already named 'cloud' (its random streams "
                                    "are jobs.cloud.*); give each stream a distinct `name`"));
}
