#include "sim/core/engine.hpp"

#include <stdexcept>
#include <string>

namespace hybridsim::sim {

static_assert(sizeof(Engine::Action) == 64);

std::uint32_t Engine::claim_slot(SimTime t, int priority) {
  if (t < now_)
    throw std::logic_error("event scheduled in the past: t=" + std::to_string(t) +
                           " now=" + std::to_string(now_));
  if (t > kMaxEventTime)
    throw std::logic_error("event time beyond the engine's range: t=" + std::to_string(t));
  if (priority < kMinPriority || priority > kMaxPriority)
    throw std::logic_error("event priority out of range: " + std::to_string(priority));
  queue_.reserve_one();  // so that nothing after the claim can throw
  if (!free_slots_.empty()) {
    const std::uint32_t s = free_slots_.back();
    free_slots_.pop_back();
    return s;
  }
  const std::uint32_t s = slot_count_;
  if (s > event_key::kMaxSlot) throw std::length_error("too many pending events");
  if ((s & (kChunkSize - 1)) == 0) {
    chunks_.reserve(chunks_.size() + 1);
    periods_.reserve(periods_.size() + kChunkSize);
    chunks_.push_back(std::make_unique<Cell[]>(kChunkSize));
    periods_.resize(periods_.size() + kChunkSize);
  }
  ++slot_count_;
  return s;
}

void Engine::push_key(SimTime t, int priority, std::uint32_t tag) {
  if (sequence_ >= sequence_limit_) renumber();
  cell(tag & event_key::kMaxSlot).sequence = sequence_;
  queue_.push(event_key::make(t, priority, sequence_++, tag));
}

EventId Engine::schedule(SimTime t, Action&& action, int priority, SimTime period_s) {
  const std::uint32_t s = claim_slot(t, priority);
  Cell& c = cell(s);
  c.action = std::move(action);
  ++live_events_;
  std::uint32_t tag = s;
  if (period_s > 0) {
    periods_[s] = period_s;
    tag |= event_key::kRecurring;
  }
  push_key(t, priority, tag);
  return EventId{s, c.generation};
}

EventId Engine::at(SimTime t, Action action, int priority) {
  return schedule(t, std::move(action), priority, 0);
}

EventId Engine::every(SimTime first, SimTime period_s, Action action, int priority) {
  if (period_s <= 0) throw std::logic_error("recurring event needs a positive period");
  return schedule(first, std::move(action), priority, period_s);
}

void Engine::end_use(Cell& c) {
  ++c.generation;
  c.sequence = kNoSequence;  // its heap key, if any, goes stale
  --live_events_;
}

void Engine::release_slot(std::uint32_t s) {
  cell(s).action.reset();
  free_slots_.push_back(s);
}

bool Engine::cancel(EventId id) {
  if (!pending(id)) return false;
  end_use(cell(id.slot));
  ++stale_keys_;
  // The running action's storage is in use; run_until releases that slot when it returns.
  if (id.slot != running_slot_) release_slot(id.slot);
  if (stale_keys_ > 1024 && stale_keys_ > queue_.size() / 2) purge_stale();
  return true;
}

// Lazy cancellation leaves keys behind; dropping them in bulk keeps a timeout-heavy model
// (schedule, cancel, reschedule) from growing the heap without bound.
void Engine::purge_stale() {
  queue_.retain([this](EventKey k) {
    return cell(event_key::slot(k)).sequence == event_key::sequence(k);
  });
  stale_keys_ = 0;
}

void Engine::renumber() {
  purge_stale();
  std::uint32_t next = 0;
  queue_.sort_and_rewrite([this, &next](EventKey k) {
    cell(event_key::slot(k)).sequence = next;
    return event_key::make(event_key::time(k), event_key::priority(k), next++, event_key::tag(k));
  });
  sequence_ = next;
}

void Engine::advance_to(SimTime t) {
  if (t > now_) {
    if (advance_hook_) advance_hook_(now_, t);
    now_ = t;
  }
}

void Engine::run_until(SimTime horizon) {
  stopped_ = false;
  while (!stopped_ && !queue_.empty()) {
    const EventKey key = queue_.top();
    const SimTime t = event_key::time(key);
    if (t > horizon) break;
    queue_.pop();
    // The next event's slot is known now: start loading it while this action runs.
    if (!queue_.empty()) __builtin_prefetch(&cell(event_key::slot(queue_.top())));
    const std::uint32_t s = event_key::slot(key);
    Cell& c = cell(s);
    if (c.sequence != event_key::sequence(key)) {
      --stale_keys_;
      continue;
    }
    if (t > now_) {
      if (advance_hook_) advance_hook_(now_, t);
      now_ = t;
    }
    ++events_run_;
    const std::uint32_t generation = c.generation;
    if (event_key::recurring(key) && periods_[s] <= kMaxEventTime - t) {
      // Re-arm before running, so the action may cancel its own recurrence.
      push_key(t + periods_[s], event_key::priority(key), event_key::tag(key));
    } else {
      end_use(c);
    }
    // Releases the slot when the action returns or throws: always for a one-shot event, for
    // a recurring one only if it was cancelled meanwhile.
    struct Finish {
      Engine& engine;
      std::uint32_t slot, generation, previous;
      ~Finish() {
        engine.running_slot_ = previous;
        if (engine.cell(slot).generation != generation) engine.release_slot(slot);
      }
    } finish{*this, s, generation, running_slot_};
    running_slot_ = s;
    c.action();
  }
  if (!stopped_) advance_to(horizon);
}

}  // namespace hybridsim::sim
