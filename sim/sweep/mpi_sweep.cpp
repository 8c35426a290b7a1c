#include "sim/sweep/mpi_sweep.hpp"

#include <cstdlib>
#include <string>

#if HYBRIDSIM_MPI
#include <mpi.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "sim/config/errors.hpp"
#include "sim/sweep/member_codec.hpp"
#include "sim/sweep/sweep_writer.hpp"
#endif

namespace hybridsim::sweep::mpi {

namespace {

int env_int(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::atoi(v) : -1;
}

}  // namespace

int ranks_from_environment() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"})
    if (const int n = env_int(name); n > 0) return n;
  return 1;
}

int rank_from_environment() {
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK"})
    if (const int r = env_int(name); r >= 0) return r;
  return 0;
}

#if HYBRIDSIM_MPI

namespace {

enum Tag : int {
  kRequest = 1,  ///< worker → 0: a slot wants a member
  kAssign = 2,   ///< 0 → worker: an index, or -1: no more
  kResult = 3,   ///< worker → 0: a serialized member (and a request for the next)
  kFailure = 4,  ///< worker → 0: a member failed (and the slot wants no more)
};

using Clock = std::chrono::steady_clock;

/// What went wrong with a member, in a form that crosses ranks.
struct Failure {
  std::int64_t index = -1;
  int code = 1;  ///< 2: bad input (ScenarioError), 1: anything else
  std::string origin, message;
  int line = 0, column = 0;

  static Failure from(std::int64_t index, std::exception_ptr e) {
    Failure f;
    f.index = index;
    try {
      std::rethrow_exception(e);
    } catch (const sim::config::ScenarioError& s) {
      f.code = 2;
      f.origin = s.where().origin;
      f.line = s.where().line;
      f.column = s.where().column;
      f.message = s.message();
    } catch (const std::exception& x) {
      f.message = x.what();
    } catch (...) {
      f.message = "unknown error";
    }
    return f;
  }
  std::vector<char> bytes() const {
    const std::string text = std::to_string(index) + '\n' + std::to_string(code) + '\n' + std::to_string(line) +
                             '\n' + std::to_string(column) + '\n' + origin + '\n' + message;
    return {text.begin(), text.end()};
  }
  static Failure parse(const std::vector<char>& b) {
    std::string text(b.begin(), b.end());
    Failure f;
    std::size_t at = 0;
    const auto next = [&] {
      const auto end = text.find('\n', at);
      std::string field = text.substr(at, end - at);
      at = end == std::string::npos ? text.size() : end + 1;
      return field;
    };
    f.index = std::stoll(next());
    f.code = std::stoi(next());
    f.line = std::stoi(next());
    f.column = std::stoi(next());
    f.origin = next();
    f.message = text.substr(at);
    return f;
  }
  [[noreturn]] void raise() const {
    if (code == 2) throw sim::config::ScenarioError(sim::config::Location{origin, line, column}, message);
    throw std::runtime_error(message);
  }
};

/// Finished members (or failures) of this rank's threads, for its main thread.
class Outbox {
 public:
  void push(std::variant<MemberResult, Failure> item) {
    std::lock_guard lock(mutex_);
    items_.push_back(std::move(item));
    ready_.notify_one();
  }
  /// The next item, waiting at most `wait` for one.
  std::optional<std::variant<MemberResult, Failure>> pop(std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    if (!ready_.wait_for(lock, wait, [&] { return !items_.empty(); })) return std::nullopt;
    auto item = std::move(items_.front());
    items_.pop_front();
    return item;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::variant<MemberResult, Failure>> items_;
};

std::variant<MemberResult, Failure> compute(const SweepPlan& plan, std::int64_t index) {
  try {
    MemberTiming timing;
    return run_member(plan, index, timing);
  } catch (...) {
    return Failure::from(index, std::current_exception());
  }
}

void send_bytes(const void* data, std::size_t size, int tag) {
  if (size > static_cast<std::size_t>(INT_MAX)) throw std::runtime_error("a member's results exceed 2 GiB: too large to send");
  MPI_Send(data, static_cast<int>(size), MPI_BYTE, 0, tag, MPI_COMM_WORLD);
}

void assign(int rank, std::int64_t index) {
  MPI_Send(&index, 1, MPI_INT64_T, rank, kAssign, MPI_COMM_WORLD);
}

/// Ranks 1..K-1: `jobs` slots, each asks rank 0 for a member, runs it, sends it back
/// (which asks for the next), until rank 0 answers -1.
std::int64_t work(const SweepPlan& plan, int jobs) {
  boost::asio::thread_pool pool(static_cast<std::size_t>(jobs));
  Outbox outbox;
  for (int s = 0; s < jobs; ++s) MPI_Send(nullptr, 0, MPI_BYTE, 0, kRequest, MPI_COMM_WORLD);
  int open = jobs, running = 0;
  std::int64_t done = 0;
  while (open > 0) {
    bool busy = false;
    int flag = 0;
    MPI_Iprobe(0, kAssign, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
    if (flag) {
      std::int64_t index = -1;
      MPI_Recv(&index, 1, MPI_INT64_T, 0, kAssign, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (index < 0) {
        --open;
      } else {
        ++running;
        boost::asio::post(pool, [&, index] { outbox.push(compute(plan, index)); });
      }
      busy = true;
    }
    if (running > 0) {
      if (auto item = outbox.pop(std::chrono::milliseconds(busy ? 0 : 2))) {
        --running;
        if (auto* r = std::get_if<MemberResult>(&*item)) {
          const auto bytes = serialize_member(*r);
          send_bytes(bytes.data(), bytes.size(), kResult);
          ++done;
        } else {
          const auto bytes = std::get<Failure>(*item).bytes();
          send_bytes(bytes.data(), bytes.size(), kFailure);
        }
      }
    } else if (!busy) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  pool.join();
  return done;
}

/// Hands out the members to run, in order, to rank 0's threads and to the other ranks.
class Dispenser {
 public:
  explicit Dispenser(const std::vector<std::int64_t>& todo) : todo_(todo) {}
  std::optional<std::int64_t> next() {
    std::lock_guard lock(mutex_);
    if (stopped_ || at_ == todo_.size()) return std::nullopt;
    return todo_[at_++];
  }
  void stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }

 private:
  std::mutex mutex_;
  const std::vector<std::int64_t>& todo_;
  std::size_t at_ = 0;
  bool stopped_ = false;
};

}  // namespace

Session::Session() {
  int provided = 0;
  // Only each rank's main thread calls MPI; the member threads never do.
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

Session::~Session() { MPI_Finalize(); }

int first_failure(bool ok) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  int mine = ok ? size : rank, first = size;
  MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return first == size ? -1 : first;
}

std::string broadcast(const std::string& text) {
  std::uint64_t size = text.size();
  MPI_Bcast(&size, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  std::string out = text;
  out.resize(static_cast<std::size_t>(size));
  if (size > 0) MPI_Bcast(out.data(), static_cast<int>(size), MPI_CHAR, 0, MPI_COMM_WORLD);
  return out;
}

SweepStats run_sweep(const SweepPlan& plan, const SweepOptions& o, const Session& session) {
  const int jobs = std::max(1, o.jobs);
  SweepStats stats;
  if (session.rank() != 0) {
    if (first_failure(true) >= 0) throw Stopped(2);  // rank 0 could not open the output
    stats.members = work(plan, jobs);
    int code = 0;
    MPI_Bcast(&code, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (code != 0) throw Stopped(code);
    return stats;
  }

  const auto t0 = Clock::now();
  std::optional<SweepWriter> writer;
  std::exception_ptr open_error;
  try {
    writer.emplace(plan, o);
  } catch (...) {
    open_error = std::current_exception();
  }
  if (first_failure(!open_error) >= 0) std::rethrow_exception(open_error);
  stats.members = static_cast<std::int64_t>(writer->todo().size());
  stats.skipped = writer->skipped();

  Dispenser dispenser(writer->todo());
  Outbox local;
  std::atomic<int> local_running{jobs};
  boost::asio::thread_pool pool(static_cast<std::size_t>(jobs));
  for (int t = 0; t < jobs; ++t)
    boost::asio::post(pool, [&] {
      while (const auto index = dispenser.next()) local.push(compute(plan, *index));
      --local_running;
    });

  std::optional<Failure> failure;
  const auto fail = [&](Failure f) {
    if (!failure || (f.index >= 0 && (failure->index < 0 || f.index < failure->index))) failure = std::move(f);
    dispenser.stop();
  };
  const auto accept = [&](MemberResult r) {
    if (failure) return;
    try {
      writer->accept(std::move(r));
    } catch (...) {
      fail(Failure::from(-1, std::current_exception()));
    }
  };
  const auto reply = [&](int rank, int& open) {
    const auto index = dispenser.next();
    assign(rank, index.value_or(-1));
    if (!index) --open;
  };
  int open = (session.size() - 1) * jobs;  // remote slots not yet told "no more"
  std::vector<char> buffer;
  while (open > 0 || local_running.load() > 0 || !(failure || writer->complete())) {
    bool busy = false;
    int flag = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
    if (flag) {
      busy = true;
      int count = 0;
      MPI_Get_count(&status, MPI_BYTE, &count);
      buffer.resize(static_cast<std::size_t>(count));
      MPI_Recv(buffer.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (status.MPI_TAG == kResult) {
        std::optional<MemberResult> r;
        try {
          r = deserialize_member({reinterpret_cast<const std::uint8_t*>(buffer.data()), buffer.size()});
        } catch (...) {
          fail(Failure::from(-1, std::current_exception()));
        }
        if (r) accept(std::move(*r));
      } else if (status.MPI_TAG == kFailure) {
        fail(Failure::parse(buffer));
      }
      reply(status.MPI_SOURCE, open);
    }
    if (auto item = local.pop(std::chrono::milliseconds(busy ? 0 : 1))) {
      busy = true;
      if (auto* r = std::get_if<MemberResult>(&*item)) accept(std::move(*r));
      else fail(std::get<Failure>(std::move(*item)));
    }
  }
  pool.join();
  while (auto item = local.pop(std::chrono::milliseconds(0)))  // stragglers of a stopped run
    if (auto* r = std::get_if<MemberResult>(&*item)) accept(std::move(*r));
  int code = failure ? failure->code : 0;
  MPI_Bcast(&code, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (failure) failure->raise();
  writer->finish();
  stats.raw_bytes = writer->raw_bytes();
  stats.wall_s = std::chrono::duration<double>(Clock::now() - t0).count();
  return stats;
}

#endif

}  // namespace hybridsim::sweep::mpi
