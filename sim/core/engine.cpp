#include "sim/core/engine.hpp"

#include <stdexcept>
#include <string>

namespace hybridsim::sim {

static_assert(sizeof(Engine::Action) == 64);

void Engine::throw_bad_request(SimTime t, int priority) const {
  if (t < now_)
    throw std::logic_error("event scheduled in the past: t=" + std::to_string(t) +
                           " now=" + std::to_string(now_));
  if (t > kMaxEventTime)
    throw std::logic_error("event time beyond the engine's range: t=" + std::to_string(t));
  throw std::logic_error("event priority out of range: " + std::to_string(priority));
}

StuckClock::StuckClock(SimTime at, std::uint64_t events)
    : std::runtime_error("the clock is stuck at t=" + std::to_string(at) + " s: " + std::to_string(events) +
                         " events ran at that one instant"),
      at_s(at),
      events(events) {}

void Engine::check_period(SimTime period_s) {
  if (period_s <= 0) throw std::logic_error("recurring event needs a positive period");
}

std::uint32_t Engine::new_slot() {
  const std::uint32_t s = slot_count_;
  if (s > event_key::kMaxSlot) throw std::length_error("too many pending events");
  if ((s & (kChunkSize - 1)) == 0) {
    chunks_.reserve(chunks_.size() + 1);
    periods_.reserve(periods_.size() + kChunkSize);
    // Room for every slot on the free list, so returning a slot never allocates.
    free_slots_.reserve(periods_.size() + kChunkSize);
    chunks_.push_back(std::make_unique<Cell[]>(kChunkSize));
    periods_.resize(periods_.size() + kChunkSize);
  }
  ++slot_count_;
  return s;
}

EventId Engine::every(SimTime first, SimTime period_s, Action action, int priority) {
  check_period(period_s);
  return schedule(first, std::move(action), priority, period_s);
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
    events_at_now_ = 0;
  }
}

void Engine::run_until(SimTime horizon) {
  stopped_ = false;
  horizon_ = horizon;
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
      events_at_now_ = 0;
    }
    if (++events_at_now_ > instant_limit_) [[unlikely]]
      throw StuckClock(now_, events_at_now_ - 1);
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
