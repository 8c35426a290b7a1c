// GPU clusters as power consumers: per-cluster budgets, power capping (throughput f^α),
// preemption below the floor, value per MWh, demand notifications, limits always kept.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>

#include "models/ai/ai_section.hpp"
#include "models/ai/gpu_farm.hpp"
#include "models/ai/schedulers.hpp"
#include "harness.hpp"

namespace hybridsim::models::ai {
namespace {

constexpr sim::SimTime kHour = 3600;
constexpr sim::SimTime kDay = 86400;
const double kInf = std::numeric_limits<double>::infinity();

// 8 H100 SXM at 700 W, PUE 1, capping with α = 0.5.
ClusterSpec h100s(int count, double alpha = 0.5) {
  ClusterSpec c;
  c.name = "h100";
  c.count = count;
  c.gpus_per_node = 8;
  c.power_w = 700.0;
  c.idle_w = 100.0;
  c.pue = 1.0;
  c.throughput_exponent = alpha;
  return c;
}

JobRequest job(int gpus, sim::SimTime duration_s, sim::SimTime checkpoint_s = 0) {
  JobRequest r;
  r.gpus = gpus;
  r.duration_s = duration_s;
  r.checkpoint_s = checkpoint_s;
  return r;
}

// 8 GPUs × 700 W at f = 0.8.
constexpr double kCappedMw = 0.8 * 8 * 700e-6;

std::unique_ptr<AiPart> part_of(const std::string& facility_yaml, sim::SimTime horizon_s) {
  const std::map<std::string, double> halls{{"hpc", 1.25}};
  auto doc = sim::config::Document::load_string("facility:\n" + facility_yaml, "test.yaml");
  sim::config::BuildContext ctx;
  ctx.epoch_unix_s = *sim::parse_utc("2025-01-01");
  ctx.horizon_s = horizon_s;
  ctx.scenario_dir = HYBRIDSIM_SOURCE_DIR "/tests/models/ai/data";
  return make_ai_part(read_ai_spec(doc, doc.root()["facility"], "facility", halls, ctx));
}

}  // namespace

TEST_CASE("Each owned cluster has its own budget: a job goes where its power fits", "[ai][power]") {
  sim::Engine engine;
  ClusterSpec a = h100s(8);
  ClusterSpec b = h100s(8);
  a.power_floor_fraction = b.power_floor_fraction = 1.0;  // no capping here
  GpuFarm farm({a, b}, std::make_unique<FifoScheduler>(), 0);
  farm.attach(engine);
  farm.set_power_budget_mw(0, 4 * 700e-6);  // room for 4 busy GPUs on cluster 0
  engine.at(0, [&] { farm.submit(job(8, 10 * kHour), -1, 0); });
  engine.at(1, [&] { farm.submit(job(4, 10 * kHour), -1, 0); });
  engine.run_until(10);
  REQUIRE(farm.jobs_running() == 2);
  CHECK(farm.free_gpus(1) == 0);  // the 8-GPU job could not fit cluster 0's budget
  CHECK(farm.free_gpus(0) == 4);
  // Idle GPUs of cluster 0 are switched off to keep its budget; cluster 1 has none.
  CHECK(farm.grid_power_mw(0) == Approx(4 * 700e-6));
  CHECK(farm.grid_power_mw(1) == Approx(8 * 700e-6));
  engine.at(kHour, [&] { farm.set_power_budget_mw(1, 0.0); });
  engine.run_until(kHour + 10);
  CHECK(farm.rows()[0].preemptions == 1);  // only cluster 1's job
  CHECK(farm.rows()[1].preemptions == 0);
  CHECK(farm.grid_power_mw(1) == 0.0);
}

TEST_CASE("Capping to f = 0.8 with α = 0.5 slows a job to √0.8 and moves its end exactly", "[ai][power][capping]") {
  for (const bool uncap : {false, true}) {
    sim::Engine engine;
    GpuFarm farm({h100s(8)}, std::make_unique<FifoScheduler>(), 0);
    farm.attach(engine);
    farm.submit(job(8, 10 * kHour), -1, 0);
    engine.at(2 * kHour, [&] { farm.set_power_budget_mw(0, kCappedMw); });
    engine.at(3 * kHour, [&] {
      CHECK(farm.jobs_running() == 1);
      CHECK(farm.power_fraction(0) == Approx(0.8));
      CHECK(farm.grid_power_mw(0) == Approx(kCappedMw));
      CHECK(farm.grid_power_mw(0) <= kCappedMw);
    });
    if (uncap) engine.at(4 * kHour, [&] { farm.set_power_budget_mw(0, kInf); });
    engine.run_until(100 * kHour);
    const auto& row = farm.rows()[0];
    CHECK(row.preemptions == 0);
    if (!uncap) {
      // 8 h of work left at 2 h, done at rate √0.8: 28800 / 0.894427… = 32199.4 s, rounded up.
      CHECK(row.end_s == 2 * kHour + 32200);
    } else {
      // 2 h at rate √0.8 do 6439.9 s of work; 36000 − 7200 − 6439.9 = 22360.1 s at full rate.
      CHECK(row.end_s == 4 * kHour + 22361);
    }
  }
}

TEST_CASE("A job ending on a capped cluster gives its power to the others", "[ai][power][capping]") {
  sim::Engine engine;
  GpuFarm farm({h100s(16)}, std::make_unique<FifoScheduler>(), 0);
  farm.attach(engine);
  farm.submit(job(8, 2 * kHour), -1, 0);
  farm.submit(job(8, 10 * kHour), -1, 0);
  // Both capped to f = 0.8 from the start: budget 0.8 × 16 × 700 W.
  engine.at(0, [&] { farm.set_power_budget_mw(0, 2 * kCappedMw); }, sim::priority::kRecord);
  engine.run_until(100 * kHour);
  // The short job: 7200 s of work at √0.8 → ⌈8049.8⌉ = 8050 s. Then the long one has
  // 36000 − 8050·√0.8 = 28799.86 s of work left and runs alone at f = 1 (8 × 700 W ≤ budget).
  const double rate = std::sqrt(0.8);
  CHECK(farm.rows()[0].end_s == 8050);
  CHECK(farm.rows()[1].end_s == 8050 + static_cast<sim::SimTime>(std::ceil(36000 - 8050 * rate)));
}

TEST_CASE("A cap below the floor preempts and loses exactly the work since the last checkpoint", "[ai][power][capping]") {
  sim::Engine engine;
  GpuFarm farm({h100s(8)}, std::make_unique<FifoScheduler>(), 0);
  farm.attach(engine);
  sim::Flow lost;
  farm.set_lost_work_flow(&lost);
  farm.submit(job(8, 10 * kHour, kHour), -1, 0);  // checkpoints every hour of work, no restart delay
  engine.at(2 * kHour, [&] { farm.set_power_budget_mw(0, kCappedMw); });
  // Floor 2/7: 1600 W for 8 busy GPUs; 1000 W does not fit, so the job goes.
  engine.at(5 * kHour, [&] { farm.set_power_budget_mw(0, 1000e-6); });
  engine.at(5 * kHour + 1, [&] {
    CHECK(farm.jobs_running() == 0);
    CHECK(farm.grid_power_mw(0) <= 1000e-6);
  });
  engine.at(6 * kHour, [&] { farm.set_power_budget_mw(0, kInf); });
  engine.run_until(100 * kHour);
  // Work at 5 h: 2 h + 3 h · √0.8 = 4.683 h; saved 4 h; lost 0.683 h on 8 GPUs.
  const double lost_gpu_h = (2 + 3 * std::sqrt(0.8) - 4) * 8;
  const auto& row = farm.rows()[0];
  CHECK(row.preemptions == 1);
  CHECK(row.lost_gpu_s / 3600 == Approx(lost_gpu_h));
  CHECK(lost.value() == Approx(lost_gpu_h));
  CHECK(farm.lost_gpu_hours() == Approx(lost_gpu_h));
  CHECK(row.end_s == 6 * kHour + 6 * kHour);  // 6 h of work left after the 4 h checkpoint
}

TEST_CASE("Tenant cluster as a consumer: demand, limit, value per MWh", "[ai][power][value]") {
  // 200,000 GPUs at 1 kW in a 1.25-PUE hall: 250 MW at the meter.
  auto part = part_of(
      "  gpu_clusters:\n"
      "    - {name: cw, gpu: custom, power_w: 1000, idle_w: 100, count: 200000, hall: hpc, owner: tenant, contract: lease}\n"
      "  contracts:\n"
      "    - {name: lease, model: colocation, committed_mw: 200, usd_per_kw_month: 121, sla_credit_multiple: 2}\n",
      10 * kDay);
  testing::Harness h(10 * kDay);
  h.world.power_price_usd_per_mwh = 40.0;
  h.start(*part);
  const auto consumers = part->consumers();
  REQUIRE(consumers.size() == 1);
  sim::PowerConsumer& t = *consumers[0];
  CHECK(t.name() == "cw");
  CHECK(t.hall() == "hpc");
  CHECK(t.kind() == sim::LoadKind::kGpu);
  CHECK_FALSE(t.curtailable());
  CHECK(t.min_power_mw() == 0.0);
  CHECK(t.max_power_mw() == Approx(250.0));
  CHECK(t.nameplate_mw() == Approx(250.0));
  CHECK(t.power_mw() == Approx(250.0));
  // (1 + 2) × $121/kW-month × 1000 / 720 h / 1.25 + $40 passed through = 443.33 USD/MWh.
  CHECK(t.value_usd_per_mwh() == Approx(3 * 121.0 * 1000 / 720 / 1.25 + 40));
  t.set_power_limit_mw(100.0);
  CHECK(t.power_limit_mw() == 100.0);
  CHECK(t.power_mw() == 100.0);
  CHECK(t.max_power_mw() == Approx(250.0));  // it still wants all of it
  h.run_until(kDay);
  // Delivered 80 MW of IT of 200 committed (take-or-pay rent): credits 2 × 120 MW for a day.
  CHECK(part->sla_credits().value() == Approx(2 * 121.0 * 1000 * 120 / 30));
}

TEST_CASE("Owned busy cluster: value per MWh is GPU-hour revenue plus unsaved work over one interval", "[ai][power][value]") {
  // 16 H100s at 700 W × PUE 1.25 = 14 kW when busy. One 8-GPU job on a $2 training deal,
  // one 8-GPU job without a contract at the $3 spot price; both checkpoint every hour.
  auto part = part_of(
      "  gpu_clusters:\n"
      "    - {name: own, gpu: H100 SXM, count: 16, hall: hpc}\n"
      "    - {name: spare, gpu: H100 SXM, count: 8, hall: hpc}\n"
      "  contracts:\n"
      "    - {name: deal, model: training_deal, gpus: 8, usd_per_gpu_hour: 2}\n"
      "  gpu_price: {model: constant, usd_per_gpu_hour: 3}\n"
      "  jobs: {model: trace, file: jobs_value.csv, restart_delay_minutes: 0}\n",
      10 * kDay);
  testing::Harness h(10 * kDay);
  h.start(*part);
  const auto consumers = part->consumers();
  REQUIRE(consumers.size() == 2);
  h.run_until(kHour + kHour / 2);  // 0.5 h of unsaved work each
  REQUIRE(part->farm().gpus_busy() == 16);
  const double busy_mw = 16 * 700e-6 * 1.25;
  // Δ = 1 h: (8 × 2 × 1.5 + 8 × 3 × 1.5) / 0.014 MW = 4285.7 USD/MWh.
  CHECK(consumers[0]->value_usd_per_mwh() == Approx((8 * 2.0 * 1.5 + 8 * 3.0 * 1.5) / busy_mw));
  part->set_decision_interval_s(2 * kHour);  // the same loss spread over twice the energy
  CHECK(consumers[0]->value_usd_per_mwh() == Approx((8 * 2.0 * 1.25 + 8 * 3.0 * 1.25) / busy_mw));
  CHECK(consumers[0]->curtailable());
  CHECK(consumers[1]->value_usd_per_mwh() == 0.0);  // idle
  CHECK(consumers[1]->power_mw() == Approx(8 * 100e-6 * 1.25));
  CHECK(consumers[1]->max_power_mw() == Approx(8 * 100e-6 * 1.25));
  CHECK(consumers[1]->nameplate_mw() == Approx(8 * 700e-6 * 1.25));
}

TEST_CASE("An owned cluster's demand counts queued jobs that would fit, at most its nameplate", "[ai][power]") {
  auto part = part_of(
      "  gpu_clusters:\n"
      "    - {name: own, gpu: H100 SXM, count: 16, hall: hpc}\n"
      "  contracts:\n"
      "    - {name: deal, model: training_deal, gpus: 8, usd_per_gpu_hour: 2}\n"
      "  jobs: {model: trace, file: jobs_value.csv}\n",
      10 * kDay);
  testing::Harness h(10 * kDay);
  h.start(*part);
  sim::PowerConsumer& own = *part->consumers().at(0);
  own.set_power_limit_mw(8 * 700e-6 * 1.25);  // room for one job at full power
  h.run_until(10);
  CHECK(part->farm().jobs_running() == 1);
  CHECK(part->farm().jobs_queued() == 1);
  CHECK(own.power_mw() == Approx(8 * 700e-6 * 1.25));
  // Running plus the queued job that would fit: all 16 GPUs at load.
  CHECK(own.max_power_mw() == Approx(16 * 700e-6 * 1.25));
  CHECK(own.max_power_mw() <= own.nameplate_mw());
}

TEST_CASE("demand_changed fires on arrival, on job end and when a lease starts and ends", "[ai][power]") {
  auto part = part_of(
      "  gpu_clusters:\n"
      "    - {name: own, gpu: H100 SXM, count: 8, hall: hpc}\n"
      "    - {name: cw, gpu: H100 SXM, count: 80, hall: hpc, owner: tenant, contract: lease}\n"
      "  contracts:\n"
      "    - {name: lease, model: colocation, committed_mw: 0.05, usd_per_kw_month: 121, start: 2025-01-02}\n"
      "  jobs: {model: trace, file: jobs_one.csv}\n"
      "  ai_shock: {at: 2025-01-04}\n",
      10 * kDay);
  testing::Harness h(10 * kDay);
  std::vector<sim::SimTime> owned_calls, tenant_calls;
  const auto consumers = part->consumers();
  consumers[0]->set_demand_listener([&] { owned_calls.push_back(h.engine.now()); });
  consumers[1]->set_demand_listener([&] { tenant_calls.push_back(h.engine.now()); });
  h.start(*part);
  h.run_until(10 * kDay);
  // The 8-GPU job arrives at 1 h and ends at 3 h; the lease starts on day 1, the shock ends it on day 3.
  CHECK(owned_calls == std::vector<sim::SimTime>{kHour, 3 * kHour});
  CHECK(tenant_calls == std::vector<sim::SimTime>{kDay, 3 * kDay});
  CHECK(consumers[1]->max_power_mw() == 0.0);
}

TEST_CASE("A busy run under random limits never draws above any limit", "[ai][power][random]") {
  auto part = part_of(
      "  gpu_clusters:\n"
      "    - {name: a, gpu: H100 SXM, count: 64, hall: hpc}\n"
      "    - {name: b, gpu: H100 SXM, count: 32, hall: hpc, power_floor_fraction: 0.5, throughput_exponent: 0.6}\n"
      "    - {name: cw, gpu: H100 SXM, count: 64, hall: hpc, owner: tenant, contract: lease, load: 0.8}\n"
      "  contracts:\n"
      "    - {name: lease, model: colocation, committed_mw: 0.04, usd_per_kw_month: 121}\n"
      "    - {name: lo, model: gpu_hour_rental, reserved_gpus: 8, reserved_usd_per_gpu_hour: 2, priority: 0}\n"
      "    - {name: hi, model: training_deal, gpus: 16, usd_per_gpu_hour: 2.5, priority: 2}\n"
      "  gpu_price: {model: constant, usd_per_gpu_hour: 3}\n"
      "  jobs:\n"
      "    - {model: poisson, rate_per_day: 30, contract: lo, gpus: {choices: [1, 8, 16, 32]}, hours: {exponential: 4},\n"
      "       checkpoint_every: 30m, restart_delay_minutes: 5}\n"
      "    - {model: poisson, rate_per_day: 10, contract: hi, gpus: {choices: [8, 64]}, hours: {exponential: 6}}\n"
      "  scheduler: {model: priority, backfill: true, preempt: true}\n",
      60 * kDay);
  testing::Harness h(60 * kDay, 7);
  const auto consumers = part->consumers();
  std::mt19937_64 gen(11);
  // Every 97 minutes each consumer gets a limit between 0 and 110 % of its nameplate, or none.
  for (sim::SimTime t = 600; t < 60 * kDay; t += 97 * 60) {
    for (sim::PowerConsumer* c : consumers) {
      const double u = std::uniform_real_distribution<double>(0.0, 1.1)(gen);
      const double limit = u > 1.0 ? kInf : u * c->nameplate_mw();
      h.engine.at(t, [c, limit] { c->set_power_limit_mw(limit); }, sim::priority::kDecision);
    }
  }
  h.start(*part);
  std::uint64_t checks = 0, breaches = 0, capped = 0;
  double sum_mismatch = 0.0;
  // The advance hook runs once the events of an instant are done; power is constant until the next.
  h.engine.set_advance_hook([&](sim::SimTime from, sim::SimTime to) {
    part->update_rates(h.world);
    h.ledger.integrate(to - from);
    double sum = 0.0;
    for (const sim::PowerConsumer* c : consumers) {
      ++checks;
      if (!(c->power_mw() <= c->power_limit_mw())) ++breaches;
      if (!(c->power_mw() <= c->max_power_mw() + 1e-12 || c->power_mw() <= c->nameplate_mw())) ++breaches;
      sum += c->power_mw();
    }
    if (part->gpu_power_fraction() < 1.0) ++capped;
    sum_mismatch = std::max(sum_mismatch, std::abs(sum - part->grid_power_mw()));
  });
  h.run_until(60 * kDay);
  CHECK(breaches == 0);
  CHECK(checks > 3000);
  CHECK(capped > 0);                  // the limits did cap GPUs
  CHECK(part->farm().preemptions() > 0);  // and went below the floor
  CHECK(sum_mismatch < 1e-9);
  double lost_gpu_h = 0.0;
  for (const auto& r : part->farm().rows()) lost_gpu_h += r.lost_gpu_s / 3600;
  CHECK(part->work_lost().value() == Approx(lost_gpu_h));
  CHECK(lost_gpu_h > 0.0);
}

}  // namespace hybridsim::models::ai
