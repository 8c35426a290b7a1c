// The job farm on its own engine: backfill, preemption and checkpoints, power budgets.
#include <catch2/catch.hpp>

#include <limits>

#include "models/ai/gpu_farm.hpp"
#include "models/ai/schedulers.hpp"

namespace hybridsim::models::ai {
namespace {

constexpr sim::SimTime kHour = 3600;

ClusterSpec cluster(int count, int gpus_per_node = 1) {
  ClusterSpec c;
  c.name = "test";
  c.count = count;
  c.gpus_per_node = gpus_per_node;
  c.power_w = 1000.0;
  c.idle_w = 100.0;
  c.pue = 1.0;
  return c;
}

JobRequest job(int gpus, sim::SimTime duration_s, sim::SimTime checkpoint_s = 0, sim::SimTime restart_s = 0) {
  JobRequest r;
  r.gpus = gpus;
  r.duration_s = duration_s;
  r.checkpoint_s = checkpoint_s;
  r.restart_delay_s = restart_s;
  return r;
}

// Submits A (6 GPUs, 10 h) at 0, the large B (8 GPUs, 5 h) at 1 s, then small C (2 GPUs, 3 h)
// at 2 s and D (2 GPUs, 20 h) at 3 s on 10 GPUs.
std::vector<GpuFarm::JobRow> backfill_case(std::unique_ptr<GpuScheduler> scheduler) {
  sim::Engine engine;
  GpuFarm farm({cluster(10)}, std::move(scheduler), 0);
  farm.attach(engine);
  engine.at(0, [&] { farm.submit(job(6, 10 * kHour), -1, 0); });
  engine.at(1, [&] { farm.submit(job(8, 5 * kHour), -1, 0); });
  engine.at(2, [&] { farm.submit(job(2, 3 * kHour), -1, 0); });
  engine.at(3, [&] { farm.submit(job(2, 20 * kHour), -1, 0); });
  engine.run_until(100 * kHour);
  return {farm.rows().begin(), farm.rows().end()};
}

}  // namespace

TEST_CASE("EASY backfill starts small jobs ahead of a blocked large one without delaying it", "[ai][scheduler]") {
  const auto fifo = backfill_case(std::make_unique<FifoScheduler>());
  const auto easy = backfill_case(std::make_unique<EasyBackfillScheduler>(100));
  // FIFO: B waits for A; C waits behind B (and starts beside it when A ends).
  CHECK(fifo[1].first_start_s == 10 * kHour);
  CHECK(fifo[2].first_start_s == 10 * kHour);
  // EASY: C ends before B's reservation (10 h); D runs past it but fits in the 2 GPUs B
  // leaves spare at 10 h. Both start at once, and B still starts at 10 h.
  CHECK(easy[2].first_start_s == 2);
  CHECK(easy[3].first_start_s == 3);
  CHECK(easy[1].first_start_s == fifo[1].first_start_s);
  CHECK(easy[1].end_s == 15 * kHour);
}

TEST_CASE("EASY backfill does not start a job that would delay the reservation", "[ai][scheduler]") {
  sim::Engine engine;
  GpuFarm farm({cluster(10)}, std::make_unique<EasyBackfillScheduler>(100), 0);
  farm.attach(engine);
  engine.at(0, [&] { farm.submit(job(6, 10 * kHour), -1, 0); });
  engine.at(1, [&] { farm.submit(job(8, 5 * kHour), -1, 0); });
  engine.at(2, [&] { farm.submit(job(3, 20 * kHour), -1, 0); });  // 3 > 2 spare GPUs at the shadow time
  engine.run_until(100 * kHour);
  CHECK(farm.rows()[1].first_start_s == 10 * kHour);
  CHECK(farm.rows()[2].first_start_s == 15 * kHour);
}

TEST_CASE("A preempted job loses exactly the work since its last checkpoint and pays the restart delay", "[ai][preemption]") {
  const sim::SimTime restart = 600;
  for (const sim::SimTime checkpoint : {kHour, sim::SimTime{0}}) {
    sim::Engine engine;
    GpuFarm farm({cluster(8)}, std::make_unique<FifoScheduler>(), 0);
    farm.attach(engine);
    farm.submit(job(8, 10 * kHour, checkpoint, restart), -1, 0);
    engine.at(3 * kHour + 1800, [&] { farm.set_power_budget_mw(0, 0.0); });  // 3.5 h of work done
    engine.at(5 * kHour, [&] { farm.set_power_budget_mw(0, std::numeric_limits<double>::infinity()); });
    engine.run_until(100 * kHour);
    const auto& row = farm.rows()[0];
    CHECK(row.preemptions == 1);
    CHECK(row.status == JobStatus::kFinished);
    if (checkpoint > 0) {
      // Saved 3 h at the 3 h checkpoint: loses 0.5 h on 8 GPUs, 7 h remain after the delay.
      CHECK(row.lost_gpu_s == Approx(0.5 * 8 * kHour));
      CHECK(row.end_s == 5 * kHour + restart + 7 * kHour);
    } else {
      CHECK(row.lost_gpu_s == Approx(3.5 * 8 * kHour));
      CHECK(row.end_s == 5 * kHour + restart + 10 * kHour);
    }
  }
}

TEST_CASE("A preemption during the restart delay loses no further work", "[ai][preemption]") {
  sim::Engine engine;
  GpuFarm farm({cluster(8)}, std::make_unique<FifoScheduler>(), 0);
  farm.attach(engine);
  farm.submit(job(8, 10 * kHour, kHour, 600), -1, 0);
  const double inf = std::numeric_limits<double>::infinity();
  engine.at(2 * kHour, [&] { farm.set_power_budget_mw(0, 0.0); });  // exactly at a checkpoint: loses nothing
  engine.at(3 * kHour, [&] { farm.set_power_budget_mw(0, inf); });
  engine.at(3 * kHour + 300, [&] { farm.set_power_budget_mw(0, 0.0); });  // inside the restart delay
  engine.at(4 * kHour, [&] { farm.set_power_budget_mw(0, inf); });
  engine.run_until(100 * kHour);
  const auto& row = farm.rows()[0];
  CHECK(row.preemptions == 2);
  CHECK(row.lost_gpu_s == 0.0);
  CHECK(row.end_s == 4 * kHour + 600 + 8 * kHour);
}

TEST_CASE("Power budget: idle GPUs switch off first, busy ones are preempted youngest first", "[ai][power]") {
  sim::Engine engine;
  ClusterSpec no_capping = cluster(10);
  no_capping.power_floor_fraction = 1.0;  // GPUs run at full power or not at all
  GpuFarm farm({no_capping}, std::make_unique<FifoScheduler>(), 0);
  farm.attach(engine);
  engine.at(0, [&] { farm.submit(job(4, 10 * kHour), -1, 0); });
  engine.at(10, [&] { farm.submit(job(4, 10 * kHour), -1, 0); });
  engine.run_until(20);
  // 8 busy at 1 kW, 2 idle at 100 W.
  CHECK(farm.grid_power_mw() == Approx(0.0082));
  CHECK(farm.max_grid_power_mw() == Approx(0.010));
  farm.set_power_budget_mw(0, 0.0081);  // busy fits; idle GPUs get 0.1 kW of their 0.2 kW
  CHECK(farm.jobs_running() == 2);
  CHECK(farm.grid_power_mw() == Approx(0.0081));
  engine.at(30, [&] { farm.set_power_budget_mw(0, 0.0079); });
  engine.run_until(40);
  CHECK(farm.jobs_running() == 1);
  CHECK(farm.rows()[1].preemptions == 1);  // the younger job
  CHECK(farm.rows()[0].preemptions == 0);
  // 4 busy GPUs at 1 kW (the requeued job would exceed the budget) and 6 idle at 100 W.
  CHECK(farm.grid_power_mw() == Approx(0.0046));
}

TEST_CASE("Priority scheduler preempts lower-priority work for a blocked higher-priority job", "[ai][scheduler]") {
  sim::Engine engine;
  GpuFarm farm({cluster(8)}, std::make_unique<PriorityScheduler>(true, true, 100), 2);
  farm.attach(engine);
  engine.at(0, [&] { farm.submit(job(8, 10 * kHour, kHour, 0), 0, 0); });
  engine.at(2 * kHour, [&] { farm.submit(job(4, 1 * kHour), 1, 5); });
  engine.run_until(100 * kHour);
  CHECK(farm.rows()[1].first_start_s == 2 * kHour);
  CHECK(farm.rows()[0].preemptions == 1);
  CHECK(farm.rows()[0].end_s == 3 * kHour + 8 * kHour);
}

TEST_CASE("Multi-node jobs take whole nodes, jobs wider than every cluster are rejected", "[ai][farm]") {
  sim::Engine engine;
  GpuFarm farm({cluster(16, 8)}, std::make_unique<FifoScheduler>(), 0);
  farm.attach(engine);
  farm.submit(job(9, kHour), -1, 0);
  farm.submit(job(32, kHour), -1, 0);
  engine.run_until(1);
  CHECK(farm.gpus_busy() == 16);
  CHECK(farm.rows()[1].status == JobStatus::kRejected);
}

}  // namespace hybridsim::models::ai
