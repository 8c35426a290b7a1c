#include "sim/sweep/sweep_runner.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "sim/core/thread_cpu_clock.hpp"
#include "sim/run/simulation.hpp"
#include "sim/sweep/member_result.hpp"
#include "sim/sweep/sweep_journal.hpp"
#include "sim/sweep/sweep_writer.hpp"

namespace hybridsim::sweep {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// CPU time of the calling thread: on a loaded machine wall times say little about the work.
using sim::thread_cpu_seconds;

/// A finished member, its journal record and its prepared tables, all made on the worker.
struct Finished {
  MemberResult member;
  std::vector<std::uint8_t> journal_record;
  std::vector<PreparedTable> tables;
};

/// Where each member's table rows will begin in the file, learnt as members finish: a member's
/// rows follow those of every member before it in commit order, so its start is known once all
/// of those have reported their row counts. A worker whose member's start is not known yet
/// parks the member here; the worker that completes the prefix prepares the parked members
/// too. So every member's tables are compressed on a worker, never on the writer.
class TableSequencer {
 public:
  explicit TableSequencer(SweepWriter::RowPlan plan) : plan_(std::move(plan)), running_(plan_.file_rows) {
    advance();
  }

  /// The widths of the file's text columns, once the writer knows them.
  void set_text_widths(TextWidths widths) {
    std::lock_guard lock(mutex_);
    widths_ = std::move(widths);
  }

  struct Ready {
    Finished finished;
    TableRows starts;
    TextWidths widths;
  };
  /// Reports a finished member; returns the members (it, and parked ones) whose starts are
  /// now known, each with its starts, for the caller to prepare and hand on.
  std::vector<Ready> finished(Finished f) {
    std::lock_guard lock(mutex_);
    plan_.known.emplace(f.member.index, table_rows(f.member));
    parked_.emplace(f.member.index, std::move(f));
    advance();
    std::vector<Ready> ready;
    for (auto it = parked_.begin(); it != parked_.end();) {
      const auto start = starts_.find(it->first);
      if (start == starts_.end()) {
        ++it;
        continue;
      }
      ready.push_back({std::move(it->second), start->second, widths_});
      starts_.erase(start);
      it = parked_.erase(it);
    }
    return ready;
  }

 private:
  void advance() {
    while (next_ < plan_.order.size()) {
      const auto known = plan_.known.find(plan_.order[next_]);
      if (known == plan_.known.end()) break;
      TableRows starts = running_;
      for (const auto& [group, rows] : known->second) starts.try_emplace(group, 0);  // a table the file lacks yet
      starts_.emplace(known->first, std::move(starts));
      for (const auto& [group, rows] : known->second) running_[group] += rows;
      plan_.known.erase(known);
      ++next_;
    }
  }

  std::mutex mutex_;
  SweepWriter::RowPlan plan_;
  TableRows running_;                              ///< rows of the members before order[next_]
  std::size_t next_ = 0;
  std::map<std::int64_t, TableRows> starts_;       ///< known starts of members not yet handed on
  std::map<std::int64_t, Finished> parked_;        ///< finished, start not known yet
  TextWidths widths_;                              ///< empty until the first commit
};

/// Finished members on their way to the writer; bounded so that workers wait rather than
/// pile results up when the writer falls behind.
class ResultQueue {
 public:
  explicit ResultQueue(std::size_t capacity) : capacity_(capacity) {}

  void push(Finished r) {
    std::unique_lock lock(mutex_);
    space_.wait(lock, [&] { return items_.size() < capacity_ || failed_; });
    if (failed_) return;
    items_.push_back(std::move(r));
    ready_.notify_one();
  }
  /// The next result; empty once a worker failed.
  std::optional<Finished> pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !items_.empty() || failed_; });
    if (failed_) return std::nullopt;
    Finished r = std::move(items_.front());
    items_.pop_front();
    space_.notify_one();
    return r;
  }
  void fail(std::int64_t index, std::exception_ptr error) {
    std::lock_guard lock(mutex_);
    if (!error_ || index < error_index_) {
      error_ = std::move(error);
      error_index_ = index;
    }
    failed_ = true;
    ready_.notify_all();
    space_.notify_all();
  }
  bool failed() {
    std::lock_guard lock(mutex_);
    return failed_;
  }
  std::exception_ptr error() {
    std::lock_guard lock(mutex_);
    return error_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_, space_;
  std::deque<Finished> items_;
  std::size_t capacity_;
  bool failed_ = false;
  std::exception_ptr error_;
  std::int64_t error_index_ = 0;
};

/// Adds seconds to an atomic double (no fetch_add for floating point before C++20 libstdc++ 12? it exists,
/// but a CAS loop keeps it portable).
void add(std::atomic<double>& a, double x) {
  double v = a.load();
  while (!a.compare_exchange_weak(v, v + x)) {
  }
}

}  // namespace

void validate_members(const SweepPlan& plan, int jobs) {
  boost::asio::thread_pool pool(static_cast<std::size_t>(std::max(1, jobs)));
  std::mutex mutex;
  std::exception_ptr first;
  std::int64_t first_index = plan.size();
  for (const Member& m : plan.members()) {
    boost::asio::post(pool, [&, i = m.index] {
      {
        std::lock_guard lock(mutex);
        if (first && first_index < i) return;  // the report will be about an earlier member
      }
      try {
        (void)plan.load_member(plan.members()[static_cast<std::size_t>(i)]);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (i < first_index) {
          first = std::current_exception();
          first_index = i;
        }
      }
    });
  }
  pool.join();
  if (first) std::rethrow_exception(first);
}

MemberResult run_member(const SweepPlan& plan, std::int64_t index, MemberTiming& timing) {
  const auto a = Clock::now();
  const double ca = thread_cpu_seconds();
  sim::Simulation simulation(plan.load_member(plan.members()[static_cast<std::size_t>(index)]));
  sim::output::RunDataset data = simulation.run();
  const auto b = Clock::now();
  const double cb = thread_cpu_seconds();
  MemberResult r = encode_member(index, std::move(data));
  timing.simulate_s = std::chrono::duration<double>(b - a).count();
  timing.encode_s = seconds_since(b);
  timing.simulate_cpu_s = cb - ca;
  timing.encode_cpu_s = thread_cpu_seconds() - cb;
  return r;
}

SweepStats run_sweep(const SweepPlan& plan, const SweepOptions& o) {
  const auto t0 = Clock::now();
  SweepWriter writer(plan, o);
  const auto& todo = writer.todo();
  SweepStats stats;
  stats.members = static_cast<std::int64_t>(todo.size());
  stats.skipped = writer.skipped();

  const int jobs = std::max(1, o.jobs);
  ResultQueue queue(static_cast<std::size_t>(2 * jobs));
  std::atomic<double> simulate_s{0}, encode_s{0}, simulate_cpu_s{0}, encode_cpu_s{0};
  TableSequencer sequencer(writer.row_plan());
  boost::asio::thread_pool pool(static_cast<std::size_t>(jobs));
  for (const std::int64_t i : todo) {
    boost::asio::post(pool, [&, i] {
      if (queue.failed()) return;
      try {
        MemberTiming t;
        Finished f;
        f.member = run_member(plan, i, t);
        // The journal record (serialized and checksummed) is made here, in parallel, so the
        // writer only hands its bytes to the kernel.
        const auto a = Clock::now();
        const double ca = thread_cpu_seconds();
        f.journal_record = SweepJournal::record(f.member);
        auto ready = sequencer.finished(std::move(f));
        for (auto& m : ready) m.finished.tables = prepare_tables(m.finished.member, m.starts, m.widths);
        add(simulate_s, t.simulate_s);
        add(encode_s, t.encode_s + seconds_since(a));
        add(simulate_cpu_s, t.simulate_cpu_s);
        add(encode_cpu_s, t.encode_cpu_s + thread_cpu_seconds() - ca);
        for (auto& m : ready) queue.push(std::move(m.finished));
      } catch (...) {
        queue.fail(i, std::current_exception());
      }
    });
  }

  // The writer: this thread alone touches the file.
  double write_s = 0, write_cpu_s = 0;
  bool widths_known = false;
  try {
    while (!writer.complete()) {
      std::optional<Finished> r = queue.pop();
      if (!r) break;
      const auto w = Clock::now();
      const double cw = thread_cpu_seconds();
      writer.accept(std::move(r->member), std::move(r->journal_record), std::move(r->tables));
      if (!widths_known) {
        if (auto widths = writer.text_widths()) {
          sequencer.set_text_widths(std::move(*widths));
          widths_known = true;
        }
      }
      write_s += seconds_since(w);
      write_cpu_s += thread_cpu_seconds() - cw;
    }
  } catch (...) {
    queue.fail(-1, std::current_exception());
  }
  pool.join();
  if (const auto error = queue.error()) std::rethrow_exception(error);
  writer.finish();
  stats.raw_bytes = writer.raw_bytes();
  stats.wall_s = seconds_since(t0);
  stats.simulate_s = simulate_s.load();
  stats.encode_s = encode_s.load();
  stats.write_s = write_s;
  stats.simulate_cpu_s = simulate_cpu_s.load();
  stats.encode_cpu_s = encode_cpu_s.load();
  stats.write_cpu_s = write_cpu_s;
  return stats;
}

}  // namespace hybridsim::sweep
