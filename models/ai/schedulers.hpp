#pragma once
/// The shipped GPU schedulers: FIFO, FIFO with EASY backfill, and priority by contract.
#include "models/ai/gpu_scheduler.hpp"

namespace hybridsim::models::ai {

/// Strict first-in, first-out: starts queued jobs in order, on the first cluster each fits,
/// and stops at the first job that does not fit (it blocks everything behind it).
class FifoScheduler final : public GpuScheduler {
 public:
  void schedule(GpuFarm& farm) override;
};

/// FIFO with EASY backfill (Lifka 1995; Mu'alem & Feitelson 2001). When the head job H
/// blocks, it gets a reservation: on each cluster that can hold it, the shadow time s_c is
/// the earliest expected end of running jobs at which the free GPUs reach H's allocation, and
/// extra_c the GPUs left over then; H reserves the cluster with the earliest s_c. A later job
/// J (among the next `depth` in the queue) starts now if it fits and either runs on another
/// cluster, or ends by s (now + runtime_J <= s), or uses at most the extra GPUs (which it
/// then consumes). Runtimes are exact (the simulation knows each job's remaining work), so
/// backfilling never delays H — except under a power budget or a power cap (which slows
/// running jobs), which the reservation ignores.
class EasyBackfillScheduler final : public GpuScheduler {
 public:
  explicit EasyBackfillScheduler(int depth) : depth_(depth) {}
  void schedule(GpuFarm& farm) override;

 private:
  int depth_;
};

/// Priority by contract: the queue is ordered by the contract's priority (higher first),
/// then by submission. Optionally backfills as EasyBackfillScheduler does, and optionally
/// preempts: when the head job H blocks, running jobs of strictly lower priority on one
/// cluster (lowest priority first, then most recently started) are preempted if that frees
/// enough GPUs and power for H.
class PriorityScheduler final : public GpuScheduler {
 public:
  PriorityScheduler(bool backfill, bool preempt, int depth) : backfill_(backfill), preempt_(preempt), depth_(depth) {}
  int rank(int priority) const override { return -priority; }
  void schedule(GpuFarm& farm) override;

 private:
  bool backfill_;
  bool preempt_;
  int depth_;
};

}  // namespace hybridsim::models::ai
