#pragma once
/// A sweep spread over MPI ranks (`mpirun -n K hybridsim sweep ...`), into one file equal to
/// a local run's.
///
/// Rank 0 owns the file, the journal and the writer (sweep_writer.hpp) and hands out member
/// indices one at a time, on request, so slow members never stall a rank; it also runs
/// members on its own -j threads. Every other rank runs -j members at once on its threads and
/// sends each finished member, serialized (member_codec.hpp: the chunks already compressed),
/// to rank 0, which treats the result as a request for the next index. Only rank 0 prints.
///
/// Built only when CMake finds MPI (HYBRIDSIM_MPI); ranks_from_environment() works either
/// way, so a build without MPI can refuse to run as K copies of itself.
#include <stdexcept>
#include <string>

#include "sim/sweep/sweep_plan.hpp"
#include "sim/sweep/sweep_runner.hpp"

namespace hybridsim::sweep::mpi {

/// The number of ranks mpirun (OpenMPI, or a PMI launcher such as srun) started, from the
/// environment; 1 when not started by one.
int ranks_from_environment();
/// This process's rank, from the environment; 0 when not started by mpirun.
int rank_from_environment();

/// Thrown on ranks other than 0 when the run stops for an error that rank 0 (or the rank
/// that hit it) reports: the caller exits with `code`, printing nothing.
class Stopped : public std::runtime_error {
 public:
  explicit Stopped(int code) : std::runtime_error("stopped"), code(code) {}
  int code;
};

#if HYBRIDSIM_MPI
/// MPI_Init / MPI_Finalize.
class Session {
 public:
  Session();
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }

 private:
  int rank_ = 0, size_ = 1;
};

/// Collective. Every rank says whether its step went well; returns the lowest rank whose did
/// not, or -1 if all did.
int first_failure(bool ok);
/// Collective: rank 0's `text` on every rank.
std::string broadcast(const std::string& text);

/// Collective: runs the sweep over every rank. Rank 0 opens the output (--resume included);
/// if that fails, it rethrows the error and the other ranks throw Stopped(2). A member that
/// fails stops the run the same way (its error rethrown on rank 0). Returns rank 0's stats
/// (other ranks: their own member count only).
SweepStats run_sweep(const SweepPlan& plan, const SweepOptions& options, const Session& session);
#endif

}  // namespace hybridsim::sweep::mpi
