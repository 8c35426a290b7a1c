#pragma once
/// A part of the facility or its world, as a model family builds it: the bitcoin world and
/// the ASIC fleet, the GPU clusters with their jobs and contracts. The Simulation owns the
/// parts, starts them, and — whenever the clock is about to move — asks each to set its flow
/// rates from its current state, then integrates all flows exactly over the step. Parts that
/// draw power expose PowerConsumers; the PowerArbiter alone sets their limits.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/config/params.hpp"
#include "sim/core/engine.hpp"
#include "sim/core/ledger.hpp"
#include "sim/core/rng_streams.hpp"
#include "sim/facility/power_consumer.hpp"
#include "sim/facility/world_state.hpp"
#include "sim/output/recorder.hpp"

namespace hybridsim::sim {

/// What a part gets when the run starts.
struct RunContext {
  Engine& engine;
  const RngStreams& rng;     ///< take named streams: rng.stream("jobs")
  output::Recorder& recorder;
  Ledger& ledger;            ///< make flows: ledger.flow()
  const WorldState& world;
  config::BuildContext build;  ///< epoch, horizon, scenario folder
  /// The facility's cash, USD. Parts add lumps (a block reward, a one-off fee) with
  /// `cash_usd.add(x)`; its rate is set by the Simulation before each step as the sum of
  /// the parts' cash_rate_usd_per_s() less the energy bill and fixed costs.
  Flow& cash_usd;
};

/// One headline figure of a run (printed by the CLI, stored as `summary_<key>`).
struct SummaryItem {
  std::string key;    ///< e.g. "mining_revenue_btc"
  double value = 0.0;
  std::string units;  ///< e.g. "BTC"
  std::string description;
};

class FacilityPart {
 public:
  virtual ~FacilityPart() = default;
  /// Schedules the part's events, makes its flows and declares its recorded columns.
  virtual void start(RunContext& ctx) = 0;
  /// The part's power consumers (stable addresses, valid for the part's lifetime).
  virtual std::vector<PowerConsumer*> consumers() { return {}; }
  /// Sets the part's flow rates from its current state. Called before a clock step when
  /// rates_version() moved or the kernel's world (the power price) changed since the last call.
  virtual void update_rates(const WorldState& world) { (void)world; }
  /// A number that changes whenever the part's state (and so its rates) may have changed;
  /// nullopt: unknown, recompute before every step. Lets the kernel skip the parts whose
  /// state did not change since the last step.
  virtual std::optional<std::uint64_t> rates_version() const { return std::nullopt; }
  /// Net cash the part earns per second now (revenue less credits it pays), USD/s, energy
  /// excluded (the Simulation bills grid energy for all parts). Valid after update_rates.
  virtual double cash_rate_usd_per_s() const { return 0.0; }
  /// Cash the part has added since the start, USD: its cash rate integrated plus its lumps
  /// (a solo block reward, a purchase paid at the start). The kernel checks that the
  /// facility's cash equals the initial cash plus every part's and its own flows.
  virtual double cash_earned_usd() const { return 0.0; }
  /// Checks the part's own invariants (jobs conserved, BTC within the issuance schedule, ...)
  /// and throws std::logic_error naming the broken one. Debug and sanitizer builds call it
  /// before every clock step; Release builds never do.
  virtual void check_invariants(SimTime now) const { (void)now; }
  /// Called once at the horizon: add tables to the recorder (job table, ...).
  virtual void finish(RunContext& ctx) { (void)ctx; }
  /// Appends the part's headline figures (after finish).
  virtual void summarize(std::vector<SummaryItem>& out) const { (void)out; }
};

}  // namespace hybridsim::sim
