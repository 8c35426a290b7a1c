#pragma once
/// GpuScheduler: decides which queued jobs start (and, for some, which running jobs yield).
namespace hybridsim::models::ai {

class GpuFarm;

class GpuScheduler {
 public:
  virtual ~GpuScheduler() = default;
  /// Queue order of a job whose contract has `priority`: lower ranks first, ties in order of
  /// submission (a preempted job keeps its place). FIFO ignores the priority.
  virtual int rank(int priority) const { (void)priority; return 0; }
  /// Starts queued jobs on `farm` at the current instant, by GpuFarm::start (and may
  /// GpuFarm::preempt running ones). Called once per instant at which the farm changed.
  virtual void schedule(GpuFarm& farm) = 0;
};

}  // namespace hybridsim::models::ai
