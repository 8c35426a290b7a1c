#include "sim/core/engine.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace hybridsim::sim {
namespace {
constexpr int kPriorityBias = 1 << 15;
constexpr std::uint64_t kSequenceBits = 48;

std::uint64_t make_order(int priority, std::uint64_t sequence) {
  if (priority < -kPriorityBias || priority >= kPriorityBias)
    throw std::logic_error("event priority out of range: " + std::to_string(priority));
  return (static_cast<std::uint64_t>(priority + kPriorityBias) << kSequenceBits) | sequence;
}
}  // namespace

std::uint32_t Engine::allocate_slot() {
  if (!free_slots_.empty()) {
    const std::uint32_t s = free_slots_.back();
    free_slots_.pop_back();
    return s;
  }
  slots_.emplace_back();
  slot_priority_.push_back(0);
  return static_cast<std::uint32_t>(slots_.size() - 1);
}

void Engine::free_slot(std::uint32_t s) {
  Slot& slot = slots_[s];
  slot.action.reset();
  slot.live = false;
  slot.period_s = 0;
  ++slot.generation;  // invalidates the heap entry and every EventId of this use
  free_slots_.push_back(s);
  --live_events_;
}

void Engine::push(SimTime t, int priority, std::uint32_t s) {
  heap_.push_back(Entry{t, make_order(priority, sequence_++), s, slots_[s].generation});
  std::push_heap(heap_.begin(), heap_.end(), later);
}

EventId Engine::at(SimTime t, Action action, int priority) {
  if (t < now_)
    throw std::logic_error("event scheduled in the past: t=" + std::to_string(t) +
                           " now=" + std::to_string(now_));
  const std::uint32_t s = allocate_slot();
  Slot& slot = slots_[s];
  slot.action = std::move(action);
  slot.live = true;
  slot_priority_[s] = priority;
  ++live_events_;
  push(t, priority, s);
  return EventId{s, slot.generation};
}

EventId Engine::every(SimTime first, SimTime period_s, Action action, int priority) {
  if (period_s <= 0) throw std::logic_error("recurring event needs a positive period");
  const EventId id = at(first, std::move(action), priority);
  slots_[id.slot].period_s = period_s;
  return id;
}

bool Engine::pending(EventId id) const {
  return id.valid() && id.slot < slots_.size() && slots_[id.slot].live &&
         slots_[id.slot].generation == id.generation;
}

bool Engine::cancel(EventId id) {
  if (!pending(id)) return false;
  free_slot(id.slot);
  return true;
}

void Engine::advance_to(SimTime t) {
  if (t > now_) {
    if (advance_hook_) advance_hook_(now_, t);
    now_ = t;
  }
}

void Engine::run_until(SimTime horizon) {
  stopped_ = false;
  while (!heap_.empty() && !stopped_) {
    const Entry top = heap_.front();
    if (top.time > horizon) break;
    std::pop_heap(heap_.begin(), heap_.end(), later);
    heap_.pop_back();
    Slot* slot = &slots_[top.slot];
    if (slot->generation != top.generation) continue;  // cancelled
    advance_to(top.time);
    ++events_run_;
    if (slot->period_s > 0) {
      // Re-arm before running so the action may cancel its own recurrence.
      // The action is moved out while it runs: it may schedule events, which can grow slots_.
      push(top.time + slot->period_s, slot_priority_[top.slot], top.slot);
      Action action = std::move(slot->action);
      action();
      Slot& after = slots_[top.slot];
      if (after.generation == top.generation) after.action = std::move(action);
    } else {
      // Move the action out first: it may schedule events, which can reallocate slots_.
      Action action = std::move(slot->action);
      free_slot(top.slot);
      action();
    }
  }
  if (!stopped_) advance_to(horizon);
}

}  // namespace hybridsim::sim
