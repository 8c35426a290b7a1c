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
#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

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

class Engine {
 public:
  using Action = InplaceFunction<void(), 48>;
  using AdvanceHook = std::function<void(SimTime from, SimTime to)>;

  Engine() = default;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Current simulated time (seconds since the epoch).
  SimTime now() const { return now_; }

  /// Schedules `action` at absolute time `t` (>= now). Throws std::logic_error for the past.
  EventId at(SimTime t, Action action, int priority = priority::kFacility);
  /// Schedules `action` after `delay_s` (>= 0) seconds.
  EventId after(SimTime delay_s, Action action, int priority = priority::kFacility) {
    return at(now_ + delay_s, std::move(action), priority);
  }
  /// Runs `action` at `first`, then every `period_s` (> 0) seconds until cancelled.
  EventId every(SimTime first, SimTime period_s, Action action, int priority = priority::kFacility);

  /// Cancels a pending event; returns false if it already ran or was cancelled.
  bool cancel(EventId id);
  /// True while the event is scheduled and not yet run (a recurring one: until cancelled).
  bool pending(EventId id) const;

  /// Runs every event with time <= horizon in order, then moves the clock to `horizon`.
  void run_until(SimTime horizon);
  /// Makes run_until return after the current event.
  void stop() { stopped_ = true; }

  /// Called before the clock moves from `from` to `to` (to > from).
  void set_advance_hook(AdvanceHook hook) { advance_hook_ = std::move(hook); }

  std::size_t pending_count() const { return live_events_; }
  std::uint64_t events_run() const { return events_run_; }

 private:
  struct Slot {
    Action action;
    SimTime period_s = 0;  // > 0 for recurring events
    std::uint32_t generation = 0;
    bool live = false;
  };
  // Heap entries are small and self-contained so that sifting never touches the slots.
  struct Entry {
    SimTime time;
    std::uint64_t order;  // priority in the high bits, insertion sequence in the low 48 bits
    std::uint32_t slot;
    std::uint32_t generation;
  };
  static bool later(const Entry& a, const Entry& b) {
    return a.time != b.time ? a.time > b.time : a.order > b.order;
  }

  std::uint32_t allocate_slot();
  void free_slot(std::uint32_t slot);
  void push(SimTime t, int priority, std::uint32_t slot);
  void advance_to(SimTime t);

  std::vector<Entry> heap_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::vector<int> slot_priority_;
  SimTime now_ = 0;
  std::uint64_t sequence_ = 0;
  std::uint64_t events_run_ = 0;
  std::size_t live_events_ = 0;
  bool stopped_ = false;
  AdvanceHook advance_hook_;
};

}  // namespace hybridsim::sim
