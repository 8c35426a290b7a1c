// The hold model (Jones 1986): keep N events pending; each step pops the earliest and
// schedules one more after a random delay. It exercises exactly the schedule/pop cycle of a
// long simulation, so it is the standard yardstick for event queues.
//
// Delays are 1 + floor(Exp(mean 1000 s)) seconds: integer like SimTime, never zero, so the
// clock moves on almost every event yet equal times still occur (and exercise tie-breaking).
// The engine runs the real path — a functor scheduled with Engine::after that schedules its
// successor, driven by run_until — and a bare std::priority_queue of (time, sequence) pairs
// makes the same draws from an identically seeded generator as the reference. Only the M
// steps are timed, not the prefill.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <queue>
#include <random>
#include <stdexcept>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include "sim/core/engine.hpp"
#include "tools/bench/benches.hpp"

namespace hybridsim::bench {
namespace {

using sim::SimTime;
using Clock = std::chrono::steady_clock;

struct Draw {
  explicit Draw(std::uint64_t seed) : rng(seed) {}
  SimTime operator()() { return 1 + static_cast<SimTime>(exp(rng)); }
  std::mt19937_64 rng;
  std::exponential_distribution<double> exp{1.0 / 1000.0};
};

struct Outcome {
  double seconds;
  SimTime final_time;
};

struct HoldState {
  sim::Engine engine;
  Draw draw;
  std::uint64_t remaining;
};

// Each event schedules its successor, as a model's event would.
struct HoldStep {
  HoldState* state;
  void operator()() const {
    HoldState& s = *state;
    s.engine.after(s.draw(), HoldStep{state});
    if (--s.remaining == 0) s.engine.stop();
  }
};

Outcome run_engine(std::uint64_t pending, std::uint64_t events, std::uint64_t seed) {
  HoldState state{{}, Draw(seed), events};
  for (std::uint64_t i = 0; i < pending; ++i) state.engine.after(state.draw(), HoldStep{&state});
  const auto start = Clock::now();
  state.engine.run_until(std::numeric_limits<SimTime>::max());
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (state.engine.events_run() != events) throw std::runtime_error("engine ran a wrong count");
  return {seconds, state.engine.now()};
}

Outcome run_reference(std::uint64_t pending, std::uint64_t events, std::uint64_t seed) {
  using Item = std::pair<SimTime, std::uint64_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
  Draw draw(seed);
  std::uint64_t sequence = 0;
  for (std::uint64_t i = 0; i < pending; ++i) queue.emplace(draw(), sequence++);
  const auto start = Clock::now();
  SimTime now = 0;
  for (std::uint64_t i = 0; i < events; ++i) {
    now = queue.top().first;
    queue.pop();
    queue.emplace(now + draw(), sequence++);
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return {seconds, now};
}

}  // namespace

void configure_hold(CLI::App& sub) {
  struct Options {
    std::uint64_t pending = 10000;
    std::uint64_t events = 10000000;
    std::uint64_t seed = 1;
  };
  auto options = std::make_shared<Options>();
  sub.add_option("--pending", options->pending, "events kept pending (N)")->check(CLI::PositiveNumber);
  sub.add_option("--events", options->events, "events to run (M)")->check(CLI::PositiveNumber);
  sub.add_option("--seed", options->seed, "seed of the delay generator");
  sub.callback([options] {
    const Options& o = *options;
    const Outcome engine = run_engine(o.pending, o.events, o.seed);
    const Outcome reference = run_reference(o.pending, o.events, o.seed);
    if (engine.final_time != reference.final_time)
      throw std::runtime_error(fmt::format("engine and reference diverged: final time {} vs {}",
                                           engine.final_time, reference.final_time));
    const double m = static_cast<double>(o.events);
    fmt::print(
        "{{\"bench\":\"hold\",\"pending\":{},\"events\":{},\"seconds\":{:.6f},"
        "\"events_per_s\":{:.0f},\"reference_seconds\":{:.6f},\"reference_events_per_s\":{:.0f},"
        "\"ratio\":{:.4f}}}\n",
        o.pending, o.events, engine.seconds, m / engine.seconds, reference.seconds,
        m / reference.seconds, reference.seconds / engine.seconds);
  });
}

}  // namespace hybridsim::bench
