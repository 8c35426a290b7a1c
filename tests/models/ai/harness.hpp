#pragma once
// A minimal stand-in for the Simulation: one engine, one part, rates integrated per clock step.
#include <memory>

#include "models/ai/ai_part.hpp"
#include "sim/facility/facility_part.hpp"

namespace hybridsim::models::ai::testing {

struct Harness {
  explicit Harness(sim::SimTime horizon_s, std::uint64_t seed = 1) : rng(seed) { ctx.build.horizon_s = horizon_s; }

  /// Starts `part` and runs it to the horizon (or to `until_s` if smaller, to poke it midway).
  void start(sim::FacilityPart& part) {
    part.start(ctx);
    engine.set_advance_hook([this, &part](sim::SimTime from, sim::SimTime to) {
      part.update_rates(world);
      ledger.integrate(to - from);
      cash_usd = ledger.net_cash_usd();  // cash is the sum of the part's accounts
    });
  }
  void run_until(sim::SimTime t_s) { engine.run_until(t_s); }

  sim::Engine engine;
  sim::RngStreams rng;
  sim::output::Recorder recorder;
  sim::Ledger ledger;
  sim::WorldState world;
  double cash_usd = 0.0;  ///< the ledger's net cash after the last step
  sim::RunContext ctx{engine, rng, recorder, ledger, world, sim::config::BuildContext{},
                      [this] { return ledger.net_cash_usd(); }};  // ctx.build: epoch, horizon
};

}  // namespace hybridsim::models::ai::testing
