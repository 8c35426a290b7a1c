// Contracts, the spot price and the AI shock, read from YAML as a scenario gives them.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <limits>

#include "models/ai/ai_section.hpp"
#include "harness.hpp"

namespace hybridsim::models::ai {
namespace {

constexpr sim::SimTime kDay = 86400;
const std::map<std::string, double> kHalls{{"hpc", 1.25}, {"mining", 1.05}};

struct Run {
  std::unique_ptr<sim::FacilityPart> part;
  std::unique_ptr<testing::Harness> harness;
  AiPart& ai() { return dynamic_cast<AiPart&>(*part); }
};

std::shared_ptr<const AiSpec> spec_of(const std::string& facility_yaml, sim::SimTime horizon_s) {
  auto doc = sim::config::Document::load_string("facility:\n" + facility_yaml, "test.yaml");
  sim::config::BuildContext ctx;
  ctx.epoch_unix_s = *sim::parse_utc("2025-01-01");
  ctx.horizon_s = horizon_s;
  ctx.scenario_dir = HYBRIDSIM_SOURCE_DIR "/tests/models/ai/data";
  return read_ai_spec(doc, doc.root()["facility"], "facility", kHalls, ctx);
}

Run start(const std::string& facility_yaml, sim::SimTime horizon_s, double power_price = 0.0) {
  Run r;
  r.part = make_ai_part(spec_of(facility_yaml, horizon_s));
  REQUIRE(r.part);
  r.harness = std::make_unique<testing::Harness>(horizon_s);
  r.harness->ctx.build.epoch_unix_s = *sim::parse_utc("2025-01-01");
  r.harness->world.power_price_usd_per_mwh = power_price;
  r.harness->start(*r.part);
  return r;
}

// 200,000 GPUs at 1 kW: 200 MW of critical IT, 250 MW at the meter in the 1.25-PUE hall.
const std::string kTenant =
    "  gpu_clusters:\n"
    "    - {name: cw, gpu: custom, power_w: 1000, idle_w: 100, count: 200000, hall: hpc, owner: tenant, contract: lease}\n";

}  // namespace

TEST_CASE("Colocation: 200 MW at $121/kW-month earns $24.2M in a 30-day month", "[ai][contracts]") {
  Run r = start(kTenant +
                    "  contracts:\n"
                    "    - {name: lease, model: colocation, committed_mw: 200, usd_per_kw_month: 121, power: included}\n",
                30 * kDay, 40.0);
  r.harness->run_until(30 * kDay);
  CHECK(r.ai().revenue().value() == Approx(200.0 * 1000 * 121));
  CHECK(r.ai().sla_credits().value() == 0.0);
  CHECK(r.ai().grid_power_mw() == Approx(250.0));
  CHECK(r.harness->cash_usd == Approx(24.2e6));
}

TEST_CASE("Colocation with power passed through bills the tenant's metered energy", "[ai][contracts]") {
  Run r = start(kTenant +
                    "  contracts:\n"
                    "    - {name: lease, model: colocation, committed_mw: 200, usd_per_kw_month: 121}\n",
                30 * kDay, 40.0);
  r.harness->run_until(30 * kDay);
  // Rent plus 250 MW × 720 h × $40/MWh.
  CHECK(r.ai().revenue().value() == Approx(24.2e6 + 250.0 * 720 * 40));
}

TEST_CASE("Colocation SLA credits when delivered power falls below the commitment", "[ai][contracts]") {
  Run r = start(kTenant +
                    "  contracts:\n"
                    "    - {name: lease, model: colocation, committed_mw: 200, usd_per_kw_month: 121,\n"
                    "       power: included, take_or_pay: false, sla_credit_multiple: 2}\n",
                30 * kDay);
  // Days 10-20: the tenant cluster's limit is 187.5 MW at the meter = 150 MW of IT.
  sim::PowerConsumer* tenant = r.ai().consumers().at(0);
  r.harness->engine.at(10 * kDay, [&] { tenant->set_power_limit_mw(187.5); });
  r.harness->engine.at(15 * kDay, [&] { CHECK(tenant->power_mw() == Approx(187.5)); });
  r.harness->engine.at(20 * kDay, [&] { tenant->set_power_limit_mw(std::numeric_limits<double>::infinity()); });
  r.harness->run_until(30 * kDay);
  // Not take-or-pay: rent on 150 MW for those 10 days. Credits: 2 × $121/kW-month × 50 MW × 10/30.
  const double rent_per_mw_month = 121.0 * 1000;
  CHECK(r.ai().revenue().value() == Approx(rent_per_mw_month * (200.0 * 20 / 30 + 150.0 * 10 / 30)));
  CHECK(r.ai().sla_credits().value() == Approx(2 * rent_per_mw_month * 50.0 * 10 / 30));
  CHECK(r.harness->cash_usd == Approx(r.ai().revenue().value() - r.ai().sla_credits().value()));
}

TEST_CASE("GPU-hour rental: reserved GPUs always paid, the customer's GPUs beyond them at spot", "[ai][contracts]") {
  // One 200-GPU job for 10 h at day 0: 100 GPUs beyond the reservation at $3 spot.
  Run r = start(
      "  gpu_clusters:\n"
      "    - {gpu: H100 SXM, count: 256, hall: hpc}\n"
      "  contracts:\n"
      "    - {name: cloud, model: gpu_hour_rental, reserved_gpus: 100, reserved_usd_per_gpu_hour: 2}\n"
      "  gpu_price: {model: constant, usd_per_gpu_hour: 3}\n"
      "  jobs: {model: trace, file: jobs_rental.csv}\n",
      30 * kDay);
  r.harness->run_until(30 * kDay);
  CHECK(r.ai().revenue().value() == Approx(100 * 2.0 * 720 + 100 * 3.0 * 10));
  CHECK(r.ai().farm().rows().size() == 1);
  CHECK(r.ai().farm().rows()[0].end_s == 10 * 3600);
}

TEST_CASE("Training deal ramps up in steps and is paid on the commitment", "[ai][contracts]") {
  Run r = start(
      "  gpu_clusters:\n"
      "    - {gpu: H100 SXM, count: 1024, hall: hpc}\n"
      "  contracts:\n"
      "    - {name: deal, model: training_deal, gpus: 1000, usd_per_gpu_hour: 2, ramp: 30d, ramp_steps: 3}\n",
      60 * kDay);
  r.harness->run_until(60 * kDay);
  // 0 GPUs for 10 days, 1/3 for 10, 2/3 for 10, then all 1000 for 30: 40,000 GPU-days.
  CHECK(r.ai().revenue().value() == Approx(40000.0 * 24 * 2));
}

TEST_CASE("A dated AI shock ends a contract's revenue at its date and cuts the spot price", "[ai][contracts][shock]") {
  Run r = start(kTenant +
                    "  contracts:\n"
                    "    - {name: lease, model: colocation, committed_mw: 200, usd_per_kw_month: 121, power: included}\n"
                    "  gpu_price: {model: constant, usd_per_gpu_hour: 2}\n"
                    "  ai_shock: {at: 2025-01-11, default_probability: 1, spot_price_factor: 0.4}\n",
                30 * kDay);
  r.harness->run_until(10 * kDay - 1);
  CHECK(r.ai().contract_active(0));
  CHECK(r.ai().spot_usd_per_gpu_hour() == Approx(2.0));
  r.harness->run_until(30 * kDay);
  CHECK_FALSE(r.ai().contract_active(0));
  CHECK(r.ai().revenue().value() == Approx(24.2e6 / 3));
  CHECK(r.ai().grid_power_mw() == 0.0);  // the tenant's GPUs went dark
  CHECK(r.ai().spot_usd_per_gpu_hour() == Approx(0.8));
}

TEST_CASE("A hazard-rate default ends revenue at the drawn date, a lapsed term ends it at the term", "[ai][contracts]") {
  Run r = start(
      "  gpu_clusters:\n"
      "    - {gpu: H100 SXM, count: 1024, hall: hpc}\n"
      "  contracts:\n"
      "    - {name: risky, model: training_deal, gpus: 1000, usd_per_gpu_hour: 2, default_hazard_per_year: 2}\n"
      "    - {name: short, model: training_deal, gpus: 10, usd_per_gpu_hour: 1, term_years: 0.25}\n",
      10 * 365 * kDay);
  r.harness->run_until(10 * 365 * kDay);
  CHECK_FALSE(r.ai().contract_active(0));
  CHECK_FALSE(r.ai().contract_active(1));
  r.part->finish(r.harness->ctx);
  const auto data = r.harness->recorder.take("seconds since 2025-01-01 00:00:00");
  REQUIRE(data.tables.size() == 2);
  // Table times are nanoseconds since 1970 (NaT for none): back to seconds since the start.
  const auto& end_ns = std::get<std::vector<std::int64_t>>(data.tables[1].columns[2].data);
  REQUIRE(data.tables[1].columns[2].info.name == "end");
  REQUIRE(end_ns.size() == 2);
  const auto since_start_s = [&](std::int64_t ns) {
    return static_cast<double>(ns / 1'000'000'000 - r.harness->ctx.build.epoch_unix_s);
  };
  const double end0_s = since_start_s(end_ns[0]);
  const double term_s = 0.25 * sim::kSecondsPerYear;
  CHECK(end0_s > 0);  // the hazard (2 per year) ended the risky deal within the 10 years
  CHECK(since_start_s(end_ns[1]) == Approx(term_s));
  CHECK(r.ai().revenue().value() == Approx(1000 * 2.0 * end0_s / 3600 + 10 * 1.0 * term_s / 3600));
}

TEST_CASE("Decaying spot price: p0·exp(−δt) at the daily steps without noise", "[ai][price]") {
  Run r = start(
      "  gpu_price: {model: decaying, initial_usd_per_gpu_hour: 8, decay_per_year: 0.77}\n", 400 * kDay);
  r.harness->run_until(365 * kDay + 10);
  CHECK(r.ai().spot_usd_per_gpu_hour() == Approx(8 * std::exp(-0.77 * 365 * kDay / double(sim::kSecondsPerYear))));
}

TEST_CASE("The recorded columns and the job table", "[ai][output]") {
  Run r = start(
      "  gpu_clusters:\n"
      "    - {gpu: H100 SXM, count: 64, hall: hpc, purchase_usd_per_gpu: 30000, depreciation_years: 5}\n"
      "  jobs: {model: poisson, rate_per_day: 20, gpus: {choices: [1, 8, 64], weights: [4, 2, 1]}, hours: {lognormal: [1, 1]}}\n"
      "  scheduler: {model: easy_backfill}\n",
      10 * kDay);
  for (sim::SimTime t = kDay; t <= 10 * kDay; t += kDay)
    r.harness->engine.at(t, [&, t] { r.harness->recorder.sample(t); }, sim::priority::kRecord);
  r.harness->run_until(10 * kDay);
  r.part->finish(r.harness->ctx);
  CHECK(r.harness->cash_usd == Approx(-64 * 30000.0));  // bought at the start, no revenue
  CHECK(r.ai().depreciation().value() == Approx(64 * 30000.0 * 10 * kDay / (5 * double(sim::kSecondsPerYear))));
  const auto data = r.harness->recorder.take("seconds since 2025-01-01 00:00:00");
  std::vector<std::string> names;
  for (const auto& c : data.series) names.push_back(c.info.name);
  CHECK(names == std::vector<std::string>{"gpus_busy", "gpu_utilization", "jobs_running", "jobs_queued",
                                          "ai_revenue_usd", "colocation_rent_usd", "power_passthrough_usd",
                                       "gpu_hour_rental_usd", "training_deals_usd", "gpu_spot_sales_usd", "gpu_capex_usd",
                                       "sla_credits_usd", "gpu_depreciation_usd",
                                          "spot_gpu_price_usd_per_hour", "gpu_work_lost_gpu_hours",
                                          "gpu_power_fraction"});
  CHECK(data.time_s.size() == 10);
  const auto& jobs = data.tables.at(0);
  CHECK(jobs.group == "jobs");
  CHECK(jobs.columns.size() == 11);
  const auto n = std::get<std::vector<std::int64_t>>(jobs.columns[0].data).size();
  CHECK(n > 150);
  const auto& status = std::get<std::vector<std::string>>(jobs.columns.back().data);
  CHECK(std::count(status.begin(), status.end(), "finished") > 100);
}

}  // namespace hybridsim::models::ai
