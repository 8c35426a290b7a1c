#pragma once
/// The discrete-event engine: a clock and a queue of cancellable events.
///
/// Events run in order of (time, priority, insertion sequence): equal times run by priority
/// (lower first), then in the order they were scheduled, so every run is deterministic.
/// There is no global engine: each Simulation owns one, and tests may make as many as they like.
///
/// Between two distinct event times nothing changes, so the engine calls the advance hook
/// once per step of the clock (`from` → `to`); the simulation integrates its constant rates
/// (energy, cost, revenue) over that interval exactly there.
///
/// Cost: scheduling and running an event allocate nothing in steady state. The order lives
/// in a 4-ary heap of 16-byte keys (event_queue.hpp); each action sits in place in its own
/// 64-byte slot; cancellation is lazy (the stale key is skipped when it surfaces, and purged
/// in bulk if stale keys ever outnumber live ones).
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/core/event_queue.hpp"
#include "sim/core/inplace_function.hpp"
#include "sim/core/time.hpp"

namespace hybridsim::sim {

/// Handle of a scheduled event; stays safe to cancel after the event ran or was cancelled.
struct EventId {
  std::uint32_t slot = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t generation = 0;
  bool valid() const { return slot != std::numeric_limits<std::uint32_t>::max(); }
};

/// Conventional priorities: at one instant, world changes come first, decisions next, the
/// recorder last (so a sample sees the state after everything that happened at its time).
namespace priority {
inline constexpr int kWorld = 0;
inline constexpr int kFacility = 10;
inline constexpr int kDecision = 20;
inline constexpr int kRecord = 100;
}  // namespace priority

/// Thrown by run_until when more than Engine::instant_limit() events run at one instant: a
/// process whose next time never moves (an interval that rounds to 0 s) would loop forever.
struct StuckClock : std::runtime_error {
  StuckClock(SimTime at, std::uint64_t events);
  SimTime at_s;
  std::uint64_t events;
};

class Engine {
 public:
  using Action = InplaceFunction<void(), 48>;
  using AdvanceHook = std::function<void(SimTime from, SimTime to)>;

  /// Latest time an event may be scheduled at: 2^48 - 1 s, about 8.9 million years.
  static constexpr SimTime kMaxEventTime = event_key::kMaxTime;
  /// Priorities must lie in [kMinPriority, kMaxPriority].
  static constexpr int kMinPriority = -event_key::kPriorityBias;
  static constexpr int kMaxPriority = event_key::kPriorityBias - 1;

  template <typename F>
  using EnableIfCallable = std::enable_if_t<!std::is_same_v<std::decay_t<F>, Action> &&
                                            std::is_invocable_v<std::decay_t<F>&>>;

  Engine() = default;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Current simulated time (seconds since the epoch).
  SimTime now() const { return now_; }

  /// Schedules `action` at absolute time `t` (now <= t <= kMaxEventTime). Throws
  /// std::logic_error for a time in the past or beyond range, or a priority out of range.
  EventId at(SimTime t, Action action, int priority = priority::kFacility) {
    return schedule(t, std::move(action), priority, 0);
  }
  /// Schedules `action` after `delay_s` (>= 0) seconds.
  EventId after(SimTime delay_s, Action action, int priority = priority::kFacility) {
    return at(now_ + delay_s, std::move(action), priority);
  }
  /// Runs `action` at `first`, then every `period_s` (> 0) seconds until cancelled (or until
  /// the next time would pass kMaxEventTime).
  EventId every(SimTime first, SimTime period_s, Action action, int priority = priority::kFacility);

  /// As at(), for any callable that fits in an Action: builds it in place in the event's
  /// slot, skipping the intermediate Action (the form a lambda argument selects).
  template <typename F, typename = EnableIfCallable<F>>
  EventId at(SimTime t, F&& f, int priority = priority::kFacility) {
    return schedule(t, std::forward<F>(f), priority, 0);
  }
  /// As after(), building the callable in place.
  template <typename F, typename = EnableIfCallable<F>>
  EventId after(SimTime delay_s, F&& f, int priority = priority::kFacility) {
    return schedule(now_ + delay_s, std::forward<F>(f), priority, 0);
  }
  /// As every(), building the callable in place.
  template <typename F, typename = EnableIfCallable<F>>
  EventId every(SimTime first, SimTime period_s, F&& f, int priority = priority::kFacility) {
    check_period(period_s);
    return schedule(first, std::forward<F>(f), priority, period_s);
  }

  /// Cancels a pending event; returns false if it already ran or was cancelled. An action
  /// may cancel any event, its own recurrence included.
  bool cancel(EventId id);
  /// True while the event is scheduled and not yet run (a recurring one: until cancelled).
  bool pending(EventId id) const {
    if (id.slot >= slot_count_) return false;
    const Cell& c = cell(id.slot);
    return c.generation == id.generation && c.sequence != kNoSequence;
  }

  /// Runs every event with time <= horizon in order, then moves the clock to `horizon`
  /// (unless stopped, or `horizon` is in the past).
  void run_until(SimTime horizon);
  /// Makes run_until return after the current event.
  void stop() { stopped_ = true; }

  /// For an action about to schedule its own successor at `t`: when that event would be the
  /// very next to run anyway — later than now, no pending event at or before `t`, within the
  /// running horizon, not stopped — moves the clock to `t` as popping it would (the advance
  /// hook, the event count) and returns true; the caller then runs the successor itself,
  /// sparing the queue a push and a pop. Otherwise changes nothing and returns false (the
  /// caller schedules it). Only for use inside a running action. The order of everything is
  /// the queue's: a pending event at the same instant (even one cancelled, whose key is still
  /// queued) makes it decline.
  bool run_inline(SimTime t) {
    if (stopped_ || running_slot_ == kNoSlot || t <= now_ || t > horizon_) return false;
    if (!queue_.empty() && event_key::time(queue_.top()) <= t) return false;
    if (advance_hook_) advance_hook_(now_, t);
    now_ = t;
    events_at_now_ = 1;
    ++events_run_;
    return true;
  }

  /// Called before the clock moves from `from` to `to` (to > from); now() is still `from`.
  void set_advance_hook(AdvanceHook hook) { advance_hook_ = std::move(hook); }

  /// Most events that may run at one instant before run_until throws StuckClock. Real
  /// models run a handful per instant; the default (10^6) costs about a second to reach.
  std::uint64_t instant_limit() const { return instant_limit_; }
  void set_instant_limit(std::uint64_t n) { instant_limit_ = n; }

  /// Events scheduled and not yet run or cancelled (a recurring event counts once).
  std::size_t pending_count() const { return live_events_; }
  /// Events run so far (each occurrence of a recurring event counts).
  std::uint64_t events_run() const { return events_run_; }

 private:
  friend struct EngineTestAccess;

  static constexpr std::uint32_t kNoSequence = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::uint32_t kNoSlot = std::numeric_limits<std::uint32_t>::max();

  // One cache line per slot: the action and what run_until checks before calling it (the
  // two counters sit in the action's tail padding). Slots live in fixed chunks, so an action
  // runs in place even while it schedules events that add slots.
  struct alignas(64) Cell {
    [[no_unique_address]] Action action;
    std::uint32_t generation = 0;         // bumped when a use ends: its EventIds go stale
    std::uint32_t sequence = kNoSequence;  // of this use's key in the heap; none when not live
  };
  static constexpr std::uint32_t kChunkBits = 10;
  static constexpr std::uint32_t kChunkSize = 1u << kChunkBits;

  Cell& cell(std::uint32_t s) { return chunks_[s >> kChunkBits][s & (kChunkSize - 1)]; }
  const Cell& cell(std::uint32_t s) const {
    return chunks_[s >> kChunkBits][s & (kChunkSize - 1)];
  }
  // Validates a request and takes a free slot; the heap has room for one more key after.
  std::uint32_t claim_slot(SimTime t, int priority) {
    if (t < now_ || t > kMaxEventTime || priority < kMinPriority || priority > kMaxPriority)
        [[unlikely]]
      throw_bad_request(t, priority);
    queue_.reserve_one();
    if (free_slots_.empty()) [[unlikely]]
      return new_slot();
    const std::uint32_t s = free_slots_.back();
    free_slots_.pop_back();
    return s;
  }

  // Builds the action in slot `s` (an Action is moved, any other callable constructed in
  // place); if that throws, the slot goes back unused.
  template <typename F>
  EventId schedule(SimTime t, F&& f, int priority, SimTime period_s) {
    const std::uint32_t s = claim_slot(t, priority);
    Cell& c = cell(s);
    if constexpr (std::is_same_v<std::decay_t<F>, Action>) {
      c.action = std::move(f);
    } else {
      try {
        c.action.emplace(std::forward<F>(f));
      } catch (...) {
        free_slots_.push_back(s);  // capacity is there: the slot came from this list or is new
        throw;
      }
    }
    ++live_events_;
    std::uint32_t tag = s;
    if (period_s > 0) {
      periods_[s] = period_s;
      tag |= event_key::kRecurring;
    }
    push_key(t, priority, tag);
    return EventId{s, c.generation};
  }

  void push_key(SimTime t, int priority, std::uint32_t tag) {
    if (sequence_ >= sequence_limit_) [[unlikely]]
      renumber();
    cell(tag & event_key::kMaxSlot).sequence = sequence_;
    queue_.push_reserved(event_key::make(t, priority, sequence_++, tag));
  }

  void end_use(Cell& c) {
    ++c.generation;
    c.sequence = kNoSequence;  // its heap key, if any, goes stale
    --live_events_;
  }

  void release_slot(std::uint32_t s) {
    cell(s).action.reset();
    free_slots_.push_back(s);
  }

  [[noreturn]] void throw_bad_request(SimTime t, int priority) const;
  static void check_period(SimTime period_s);
  std::uint32_t new_slot();
  void renumber();
  void purge_stale();
  void advance_to(SimTime t);

  EventQueue queue_;
  std::vector<std::unique_ptr<Cell[]>> chunks_;
  std::uint32_t slot_count_ = 0;
  std::vector<SimTime> periods_;  // by slot; read only for recurring events
  std::vector<std::uint32_t> free_slots_;
  AdvanceHook advance_hook_;
  SimTime now_ = 0;
  std::uint64_t events_run_ = 0;
  std::size_t live_events_ = 0;
  std::size_t stale_keys_ = 0;  // keys in the heap whose event was cancelled
  std::uint32_t sequence_ = 0;
  // Sequences are 32 bits; on reaching this the pending keys are renumbered from 0.
  std::uint32_t sequence_limit_ = kNoSequence;
  std::uint32_t running_slot_ = kNoSlot;  // slot whose action is executing
  bool stopped_ = false;
  SimTime horizon_ = 0;  // of the running run_until
  std::uint64_t events_at_now_ = 0;
  std::uint64_t instant_limit_ = 1'000'000;
};

}  // namespace hybridsim::sim
