#include "models/ai/schedulers.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <vector>

#include "models/ai/gpu_farm.hpp"

namespace hybridsim::models::ai {
namespace {

using Slot = GpuFarm::Slot;

// Starts jobs in queue order until one does not fit; returns that blocked head, or the queue's end.
std::set<GpuFarm::QueueKey>::const_iterator fifo_until_blocked(GpuFarm& farm) {
  while (!farm.queue().empty()) {
    const auto head = farm.queue().begin();
    const int c = farm.first_fit(head->slot);
    if (c < 0) return head;
    farm.start(head->slot, c);
  }
  return farm.queue().end();
}

struct Reservation {
  int cluster = -1;
  sim::SimTime shadow_s = std::numeric_limits<sim::SimTime>::max();
  int extra_gpus = 0;
};

// The earliest cluster and time at which the blocked job `head` could start.
Reservation reserve(const GpuFarm& farm, Slot head) {
  Reservation best;
  for (int c = 0; c < farm.cluster_count(); ++c) {
    const int need = farm.cluster(c).allocation(farm.job(head).gpus);
    if (need > farm.cluster(c).count) continue;
    int free = farm.free_gpus(c);
    sim::SimTime shadow = farm.now();
    for (auto it = farm.running_on(c).begin(); free < need && it != farm.running_on(c).end(); ++it) {
      free += farm.job(it->second).alloc;
      shadow = it->first;
    }
    if (shadow < best.shadow_s) best = Reservation{c, shadow, free - need};
  }
  return best;
}

// EASY: jobs after the blocked `head` start if they cannot delay its reservation.
void backfill(GpuFarm& farm, std::set<GpuFarm::QueueKey>::const_iterator head, int depth) {
  Reservation r = reserve(farm, head->slot);
  auto it = std::next(head);
  for (int seen = 0; seen < depth && it != farm.queue().end() && farm.total_free_gpus() > 0; ++seen) {
    const Slot s = it->slot;
    ++it;  // start() erases s from the queue
    const GpuFarm::Job& j = farm.job(s);
    for (int c = 0; c < farm.cluster_count(); ++c) {
      if (!farm.fits_on(s, c)) continue;
      const int alloc = farm.cluster(c).allocation(j.gpus);
      const bool harmless = c != r.cluster || farm.now() + j.runtime_s() <= r.shadow_s;
      if (!harmless && alloc > r.extra_gpus) continue;
      if (!harmless) r.extra_gpus -= alloc;
      farm.start(s, c);
      break;
    }
  }
}

// Preempts lower-priority jobs on one cluster so that `head` can start there; false if no
// cluster offers enough.
bool preempt_for(GpuFarm& farm, Slot head) {
  const GpuFarm::Job& h = farm.job(head);
  for (int c = 0; c < farm.cluster_count(); ++c) {
    const int need = farm.cluster(c).allocation(h.gpus);
    if (need > farm.cluster(c).count) continue;
    std::vector<Slot> victims;
    for (const auto& [end, s] : farm.running_on(c))
      if (farm.job(s).priority < h.priority) victims.push_back(s);
    std::sort(victims.begin(), victims.end(), [&](Slot a, Slot b) {
      const auto& ja = farm.job(a);
      const auto& jb = farm.job(b);
      if (ja.priority != jb.priority) return ja.priority < jb.priority;
      if (ja.segment_start_s != jb.segment_start_s) return ja.segment_start_s > jb.segment_start_s;
      return ja.id > jb.id;
    });
    int free = farm.free_gpus(c);
    // The head must fit the cluster's budget at full power, as any start does.
    double power_mw = farm.full_busy_power_mw(c) + farm.job_power_mw(head, c);
    std::size_t take = 0;
    while (take < victims.size() && (free < need || power_mw > farm.power_budget_mw(c))) {
      free += farm.job(victims[take]).alloc;
      power_mw -= farm.job_power_mw(victims[take], c);
      ++take;
    }
    if (free < need || power_mw > farm.power_budget_mw(c) + 1e-9) continue;
    for (std::size_t i = 0; i < take; ++i) farm.preempt(victims[i]);
    farm.start(head, c);
    return true;
  }
  return false;
}

}  // namespace

void FifoScheduler::schedule(GpuFarm& farm) { fifo_until_blocked(farm); }

void EasyBackfillScheduler::schedule(GpuFarm& farm) {
  const auto head = fifo_until_blocked(farm);
  if (head != farm.queue().end() && farm.total_free_gpus() > 0) backfill(farm, head, depth_);
}

void PriorityScheduler::schedule(GpuFarm& farm) {
  for (;;) {
    const auto head = fifo_until_blocked(farm);
    if (head == farm.queue().end()) return;
    if (preempt_ && preempt_for(farm, head->slot)) continue;
    if (backfill_ && farm.total_free_gpus() > 0) backfill(farm, head, depth_);
    return;
  }
}

}  // namespace hybridsim::models::ai
