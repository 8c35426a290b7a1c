#pragma once
/// A training job as an arrival model submits it, and its life in the GPU farm.
#include <cstdint>
#include <string_view>

#include "sim/core/time.hpp"

namespace hybridsim::models::ai {

/// One submitted job: it holds `gpus` GPUs for `duration_s` seconds of uninterrupted work.
struct JobRequest {
  sim::SimTime submit_s = 0;       ///< seconds since the epoch
  int gpus = 1;                    ///< GPUs requested
  sim::SimTime duration_s = 1;     ///< work: wall-clock seconds on all its GPUs, without interruption
  /// Work between two checkpoints, s; 0: the job never checkpoints (a preemption loses all).
  sim::SimTime checkpoint_s = 0;
  sim::SimTime restart_delay_s = 0;  ///< paid (GPUs held, no progress) on every restart after a preemption
  int label = 0;                     ///< index into the arrival model's labels(): the contract billed
};

/// Where a job is in its life; recorded as a string in the job table.
enum class JobStatus : std::uint8_t { kQueued, kRunning, kFinished, kCancelled, kRejected };

inline std::string_view status_name(JobStatus s) {
  switch (s) {
    case JobStatus::kQueued: return "queued";
    case JobStatus::kRunning: return "running";
    case JobStatus::kFinished: return "finished";
    case JobStatus::kCancelled: return "cancelled";
    case JobStatus::kRejected: return "rejected";
  }
  return "?";
}

}  // namespace hybridsim::models::ai
