#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "sim/core/engine.hpp"

namespace hybridsim::sim {
// Reaches the engine's internals to force the rare paths (sequence renumbering).
struct EngineTestAccess {
  static void set_sequence_limit(Engine& e, std::uint32_t limit) { e.sequence_limit_ = limit; }
};
}  // namespace hybridsim::sim

using hybridsim::sim::Engine;
using hybridsim::sim::EngineTestAccess;
using hybridsim::sim::EventId;
using hybridsim::sim::SimTime;
namespace priority = hybridsim::sim::priority;

TEST_CASE("engine: equal times run by priority, then in insertion order", "[engine]") {
  Engine e;
  std::string order;
  e.at(5, [&] { order += 'c'; }, priority::kRecord);
  e.at(5, [&] { order += 'a'; }, priority::kWorld);
  e.at(5, [&] { order += 'd'; }, priority::kRecord);
  e.at(5, [&] { order += 'b'; }, priority::kDecision);
  e.at(3, [&] { order += '0'; }, priority::kRecord);
  e.at(5, [&] { order += 'A'; }, -7);
  e.run_until(10);
  CHECK(order == "0Aabcd");
  CHECK(e.events_run() == 6);
  CHECK(e.pending_count() == 0);
}

TEST_CASE("engine: cancel", "[engine][cancel]") {
  Engine e;
  int runs = 0;
  const EventId a = e.at(10, [&] { ++runs; });
  const EventId b = e.at(20, [&] { ++runs; });
  CHECK(e.pending(a));
  CHECK(e.pending_count() == 2);

  SECTION("a pending event does not run; a second cancel returns false") {
    CHECK(e.cancel(a));
    CHECK_FALSE(e.pending(a));
    CHECK_FALSE(e.cancel(a));
    CHECK(e.pending_count() == 1);
    e.run_until(100);
    CHECK(runs == 1);
  }
  SECTION("cancel after the event ran returns false") {
    e.run_until(15);
    CHECK(runs == 1);
    CHECK_FALSE(e.pending(a));
    CHECK_FALSE(e.cancel(a));
    CHECK(e.pending(b));
  }
  SECTION("a stale id does not cancel the slot's next use") {
    e.run_until(15);
    const EventId c = e.at(30, [&] { runs += 10; });
    CHECK(c.slot == a.slot);  // the slot was recycled
    CHECK_FALSE(e.cancel(a));
    e.run_until(100);
    CHECK(runs == 12);
  }
  SECTION("default and out-of-range ids are never pending") {
    CHECK_FALSE(e.cancel(EventId{}));
    CHECK_FALSE(e.cancel(EventId{12345, 0}));
  }
}

TEST_CASE("engine: an action may cancel its own recurrence", "[engine][cancel]") {
  Engine e;
  std::vector<SimTime> times;
  EventId id;
  id = e.every(10, 5, [&] {
    times.push_back(e.now());
    CHECK(e.pending(id));
    if (times.size() == 3) CHECK(e.cancel(id));
  });
  e.run_until(100);
  CHECK(times == std::vector<SimTime>{10, 15, 20});
  CHECK_FALSE(e.pending(id));
  CHECK(e.pending_count() == 0);
}

TEST_CASE("engine: an action may cancel another event at the same time", "[engine][cancel]") {
  Engine e;
  std::string order;
  EventId victim;
  e.at(7, [&] {
    order += 'k';
    CHECK(e.cancel(victim));
  });
  victim = e.at(7, [&] { order += 'v'; });
  e.at(7, [&] { order += 'z'; });
  e.run_until(10);
  CHECK(order == "kz");
}

TEST_CASE("engine: every recurs at exact multiples of its period", "[engine]") {
  Engine e;
  std::vector<SimTime> times;
  // The action keeps its own captured state from one occurrence to the next.
  e.every(10, 5, [&times, &e, n = 0]() mutable { times.push_back(e.now() * 100 + ++n); });
  e.run_until(30);
  CHECK(times == std::vector<SimTime>{1001, 1502, 2003, 2504, 3005});
  CHECK(e.pending_count() == 1);
  CHECK_THROWS_AS(e.every(40, 0, [] {}), std::logic_error);
}

TEST_CASE("engine: events scheduled at now run in the same instant, in order", "[engine]") {
  Engine e;
  std::string order;
  e.at(5, [&] {
    order += 'a';
    e.after(0, [&] { order += 'c'; });                   // same priority: after b
    e.at(e.now(), [&] { order += '0'; }, priority::kWorld);  // lower number: before b
  });
  e.at(5, [&] { order += 'b'; });
  e.at(6, [&] { order += 'd'; });
  std::vector<std::pair<SimTime, SimTime>> steps;
  e.set_advance_hook([&](SimTime from, SimTime to) { steps.emplace_back(from, to); });
  e.run_until(6);
  CHECK(order == "a0bcd");
  CHECK(steps == std::vector<std::pair<SimTime, SimTime>>{{0, 5}, {5, 6}});
}

TEST_CASE("engine: the advance hook sees each clock step once, up to the horizon", "[engine]") {
  Engine e;
  std::vector<std::pair<SimTime, SimTime>> steps;
  std::vector<SimTime> now_in_hook;
  e.set_advance_hook([&](SimTime from, SimTime to) {
    steps.emplace_back(from, to);
    now_in_hook.push_back(e.now());
  });
  for (SimTime t : {0, 3, 3, 3, 8, 8, 20}) e.at(t, [] {});
  e.run_until(10);
  CHECK(steps == std::vector<std::pair<SimTime, SimTime>>{{0, 3}, {3, 8}, {8, 10}});
  CHECK(now_in_hook == std::vector<SimTime>{0, 3, 8});
  CHECK(e.now() == 10);
  CHECK(e.pending_count() == 1);
  e.run_until(10);  // nothing to do, no step
  CHECK(steps.size() == 3);
  e.run_until(25);
  CHECK(steps.back() == std::pair<SimTime, SimTime>{20, 25});
  CHECK(e.now() == 25);
}

TEST_CASE("engine: stop returns after the current event", "[engine]") {
  Engine e;
  int runs = 0;
  e.at(1, [&] { ++runs; e.stop(); });
  e.at(2, [&] { ++runs; });
  e.run_until(100);
  CHECK(runs == 1);
  CHECK(e.now() == 1);
  e.run_until(100);
  CHECK(runs == 2);
  CHECK(e.now() == 100);
}

TEST_CASE("engine: bad times and priorities throw", "[engine]") {
  Engine e;
  e.run_until(100);
  CHECK_THROWS_AS(e.at(99, [] {}), std::logic_error);
  CHECK_THROWS_AS(e.after(-1, [] {}), std::logic_error);
  CHECK_THROWS_AS(e.at(Engine::kMaxEventTime + 1, [] {}), std::logic_error);
  CHECK_THROWS_AS(e.at(100, [] {}, Engine::kMaxPriority + 1), std::logic_error);
  CHECK_THROWS_AS(e.at(100, [] {}, Engine::kMinPriority - 1), std::logic_error);
  CHECK(e.pending_count() == 0);
  CHECK_NOTHROW(e.at(100, [] {}, Engine::kMinPriority));
  CHECK_NOTHROW(e.at(Engine::kMaxEventTime, [] {}, Engine::kMaxPriority));
}

TEST_CASE("engine: an action that throws leaves the engine usable", "[engine]") {
  Engine e;
  int runs = 0;
  e.at(1, [] { throw std::runtime_error("boom"); });
  e.every(2, 2, [&] { ++runs; });
  CHECK_THROWS_AS(e.run_until(10), std::runtime_error);
  CHECK(e.now() == 1);
  e.run_until(10);
  CHECK(runs == 5);
}

TEST_CASE("engine: two engines are independent", "[engine]") {
  Engine a;
  Engine b;
  std::string order;
  a.at(5, [&] { order += 'a'; });
  const EventId id = b.at(5, [&] { order += 'b'; });
  a.run_until(10);
  CHECK(order == "a");
  CHECK(a.now() == 10);
  CHECK(b.now() == 0);
  CHECK(b.pending(id));
  b.run_until(10);
  CHECK(order == "ab");
}

namespace {
struct Fired {
  SimTime time;
  int priority;
  std::uint32_t index;  // scheduling order
  bool operator<(const Fired& o) const {
    return std::tie(time, priority, index) < std::tie(o.time, o.priority, o.index);
  }
};

// Schedules `n` events at random times and priorities (many ties), cancels every 7th, and
// returns what ran; all of it in exactly sorted (time, priority, sequence) order.
void check_random_order(Engine& e, std::uint32_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<SimTime> time(0, n / 4);
  std::uniform_int_distribution<int> prio(-3, 3);
  std::vector<Fired> fired;
  fired.reserve(n);
  std::vector<EventId> ids;
  ids.reserve(n);
  std::vector<Fired> expected;
  for (std::uint32_t i = 0; i < n; ++i) {
    const Fired f{time(rng), prio(rng), i};
    ids.push_back(e.at(f.time, [&fired, f] { fired.push_back(f); }, f.priority));
    expected.push_back(f);
  }
  std::uint32_t cancelled = 0;
  for (std::uint32_t i = 0; i < n; i += 7, ++cancelled) REQUIRE(e.cancel(ids[i]));
  e.run_until(n);
  REQUIRE(fired.size() == n - cancelled);
  CHECK(std::is_sorted(fired.begin(), fired.end()));
  std::erase_if(expected, [](const Fired& f) { return f.index % 7 == 0; });
  std::sort(expected.begin(), expected.end());
  CHECK(std::equal(fired.begin(), fired.end(), expected.begin(), expected.end(),
                   [](const Fired& a, const Fired& b) { return !(a < b) && !(b < a); }));
  CHECK(e.pending_count() == 0);
}
}  // namespace

TEST_CASE("engine: a million random events run in exact (time, priority, seq) order",
          "[engine][order]") {
  Engine e;
  check_random_order(e, 1'000'000, 42);
}

TEST_CASE("engine: order survives sequence renumbering", "[engine][order]") {
  Engine e;
  // Renumbering normally happens every 2^32 events; force it every few hundred.
  EngineTestAccess::set_sequence_limit(e, 300);
  check_random_order(e, 2'000, 7);
  int runs = 0;
  e.every(e.now(), 1, [&] { ++runs; });
  for (int i = 0; i < 1000; ++i) e.after(i % 10, [&] { ++runs; });
  e.run_until(e.now() + 9);
  CHECK(runs == 1010);
}

TEST_CASE("engine: mass cancellation keeps pending events", "[engine][cancel]") {
  Engine e;
  std::vector<EventId> ids;
  int runs = 0;
  for (int i = 0; i < 10'000; ++i) ids.push_back(e.at(i, [&] { ++runs; }));
  for (int i = 0; i < 10'000; ++i)
    if (i % 100 != 0) e.cancel(ids[i]);
  CHECK(e.pending_count() == 100);
  e.run_until(20'000);
  CHECK(runs == 100);
}

namespace {
struct Counted {
  static inline int alive = 0;
  Counted() { ++alive; }
  Counted(const Counted&) { ++alive; }
  Counted(Counted&&) noexcept { ++alive; }
  ~Counted() { --alive; }
};
}  // namespace

TEST_CASE("engine: captured state is destroyed when events run, are cancelled or dropped",
          "[engine]") {
  {
    Engine e;
    auto shared = std::make_shared<int>(0);
    const EventId a = e.at(1, [c = Counted{}, shared] { ++*shared; });
    e.at(2, [c = Counted{}, shared] { ++*shared; });
    const EventId r = e.every(3, 1, [c = Counted{}, shared] { ++*shared; });
    e.at(50, [c = Counted{}, shared] { ++*shared; });  // never run: dropped with the engine
    CHECK(Counted::alive == 4);
    e.cancel(a);
    CHECK(Counted::alive == 3);
    e.run_until(5);
    CHECK(*shared == 4);  // 2, 3, 4, 5
    CHECK(Counted::alive == 2);
    e.cancel(r);
    CHECK(Counted::alive == 1);
    CHECK(shared.use_count() == 2);
  }
  CHECK(Counted::alive == 0);
}

TEST_CASE("engine: an Action object schedules like a lambda", "[engine]") {
  Engine e;
  std::string order;
  Engine::Action first = [&] { order += 'a'; };
  e.at(1, std::move(first));
  e.after(2, Engine::Action([&] { order += 'b'; }));
  e.every(3, 10, Engine::Action([&] { order += 'r'; }));
  e.run_until(13);
  CHECK(order == "abrr");
}

namespace {
struct ThrowsOnCopy {
  ThrowsOnCopy() = default;
  ThrowsOnCopy(const ThrowsOnCopy&) { throw std::runtime_error("copy"); }
  ThrowsOnCopy(ThrowsOnCopy&&) noexcept = default;
  void operator()() const {}
};
}  // namespace

TEST_CASE("engine: a callable that throws while being stored schedules nothing", "[engine]") {
  Engine e;
  const ThrowsOnCopy callable;
  CHECK_THROWS_AS(e.at(5, callable), std::runtime_error);
  CHECK(e.pending_count() == 0);
  int runs = 0;
  e.at(5, [&] { ++runs; });
  e.run_until(10);
  CHECK(runs == 1);
  CHECK(e.events_run() == 1);
}

TEST_CASE("a process that never lets the clock move is stopped with StuckClock", "[engine]") {
  hybridsim::sim::Engine engine;
  engine.set_instant_limit(1000);
  std::function<void()> again = [&] { engine.after(0, [&] { again(); }); };
  engine.at(5, [&] { again(); });
  try {
    engine.run_until(100);
    FAIL("expected StuckClock");
  } catch (const hybridsim::sim::StuckClock& e) {
    CHECK(e.at_s == 5);
    CHECK(e.events == 1000);
  }
}
