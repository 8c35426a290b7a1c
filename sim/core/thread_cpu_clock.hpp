#pragma once
/// CPU time of the calling thread, seconds (CLOCK_THREAD_CPUTIME_ID): what a piece of work
/// cost whatever else the machine ran meanwhile (the sweep's statistics, the benchmarks).
#include <ctime>

namespace hybridsim::sim {

inline double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

}  // namespace hybridsim::sim
