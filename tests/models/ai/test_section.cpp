// Reading the AI section: absent section, defaults, and clear errors at the right place.
#include <catch2/catch.hpp>

#include "models/ai/ai_section.hpp"

namespace hybridsim::models::ai {
namespace {

const std::map<std::string, double> kHalls{{"hpc", 1.3}, {"mining", 1.05}};

std::shared_ptr<const AiSpec> read(const std::string& facility_yaml, sim::config::Document* keep = nullptr) {
  auto doc = sim::config::Document::load_string("facility:\n" + facility_yaml, "s.yaml");
  sim::config::BuildContext ctx;
  ctx.horizon_s = 86400;
  ctx.epoch_unix_s = *sim::parse_utc("2025-01-01");
  auto spec = read_ai_spec(doc, doc.root()["facility"], "facility", kHalls, ctx);
  if (keep) *keep = doc;
  return spec;
}

std::string error_of(const std::string& facility_yaml) {
  try {
    read(facility_yaml);
  } catch (const sim::config::ScenarioError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("No AI keys: no spec and no part", "[ai][section]") {
  CHECK(read("  power_cap_mw: 100\n") == nullptr);
  CHECK(make_ai_part(nullptr) == nullptr);
}

TEST_CASE("Defaults fill in: GPU power from the type, PUE from the hall, scheduler fifo", "[ai][section]") {
  auto doc = sim::config::Document::load_string("x: 1", "d");
  const auto spec = read(
      "  gpu_clusters: [{gpu: H100 SXM, count: 16, hall: hpc}]\n"
      "  jobs: {model: poisson, rate_per_day: 5, gpus: {choices: [8]}, hours: {fixed: 2}}\n",
      &doc);
  REQUIRE(spec);
  CHECK(spec->clusters[0].power_w == 700.0);
  CHECK(spec->clusters[0].idle_w == Approx(100.0));
  CHECK(spec->clusters[0].pue == 1.3);
  CHECK(spec->scheduler->name() == "fifo");
  CHECK(doc.root()["facility"]["scheduler"]["model"].as<std::string>() == "fifo");
  CHECK(make_ai_part(spec) != nullptr);
}

TEST_CASE("Errors name the place, the key and what is accepted", "[ai][section]") {
  CHECK_THAT(error_of("  gpu_clusters: [{gpu: H100 SXM, count: 16, hall: attic}]\n"),
             Catch::Contains("s.yaml:2:") && Catch::Contains("facility.gpu_clusters[0].hall: unknown hall 'attic'; halls: hpc, mining"));
  CHECK_THAT(error_of("  gpu_clusters: [{gpu: X9, count: 16, hall: hpc}]\n"),
             Catch::Contains("give power_w, or use one of: B200, H100 PCIe, H100 SXM"));
  CHECK_THAT(error_of("  gpu_clusters: [{gpu: H100 SXM, count: 16, hall: hpc, owner: tenant}]\n"),
             Catch::Contains("needs 'contract: NAME'"));
  CHECK_THAT(error_of("  gpu_clusters: [{gpu: H100 SXM, count: 16, hall: hpc}]\n"
                      "  jobs: {model: poisson, rate_per_day: 5, gpus: {choices: [8]}, hours: {fixed: 2}, contract: nope}\n"),
             Catch::Contains("contract 'nope' is not a declared gpu_hour_rental or training_deal"));
  CHECK_THAT(error_of("  gpu_clusters: [{gpu: H100 SXM, count: 16, hall: hpc}]\n"
                      "  jobs: {model: poisson, rate_per_day: 5, gpus: {choices: [32]}, hours: {fixed: 2}}\n"),
             Catch::Contains("asks for 32 GPUs, which no owned cluster can hold in whole nodes (largest: 16 GPUs)"));
  CHECK_THAT(error_of("  gpu_clusters: [{gpu: H100 SXM, count: 16, hall: hpc}]\n"
                      "  jobs: {model: poisson, rate_per_day: 5, gpus: {choices: [8]}, hours: {fixed: 2, exponential: 3}}\n"),
             Catch::Contains("expected exactly one of exponential"));
  CHECK_THAT(error_of("  scheduler: {model: sjf}\n"),
             Catch::Contains("unknown model 'sjf'; valid models: fifo, easy_backfill, priority"));
  CHECK_THAT(error_of("  contracts: [{name: c, model: gpu_hour_rental, reserved_gpus: 1}]\n"),
             Catch::Contains("add facility.gpu_price"));
  CHECK_THAT(error_of("  contracts: [{name: c, model: colocation, committed_mw: 10, usd_per_kw_month: 100}]\n"),
             Catch::Contains("hosts no cluster"));
  CHECK_THAT(error_of("  ai_shock: {at: 2020-01-01}\n"), Catch::Contains("before the scenario's start"));
}

TEST_CASE("Trace errors point into the CSV", "[ai][section]") {
  const std::string dir = HYBRIDSIM_SOURCE_DIR "/tests/models/ai/data/";
  CHECK_THAT(error_of("  gpu_clusters: [{gpu: H100 SXM, count: 16, hall: hpc}]\n"
                      "  jobs: {model: trace, file: " + dir + "jobs_unsorted.csv}\n"),
             Catch::Contains("jobs_unsorted.csv:3:1: rows must be in order of submission time"));
}

}  // namespace hybridsim::models::ai
