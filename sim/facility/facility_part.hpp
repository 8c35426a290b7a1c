#pragma once
/// A part of the facility or its world, as a model family builds it: the bitcoin world and
/// the ASIC fleet, the GPU clusters with their jobs and contracts. The Simulation owns the
/// parts, starts them, and — whenever the clock is about to move — asks each to set its flow
/// rates from its current state, then integrates all flows exactly over the step. Parts that
/// draw power expose PowerConsumers; the PowerArbiter alone sets their limits.
#include <cstdint>
#include <functional>
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
  /// The facility's cash now, USD (initial cash + Σ accounts). Parts move cash only through
  /// their own accounts (`ledger.account(name, sign)`): a lump is `account.add(x)`, a rate
  /// is `account.rate_per_s` set in update_rates — only there: the kernel looks for flows
  /// that gained a rate after update_rates calls (Ledger::collect_live()).
  std::function<double()> cash_usd;
};

/// One headline figure of a run (printed by the CLI, stored as `summary_<key>`).
struct SummaryItem {
  std::string key;    ///< e.g. "mining_revenue_btc"
  double value = 0.0;
  std::string units;  ///< e.g. "BTC"
  std::string description;
};

/// Cash that contracts in force at the horizon fix after it (finance.terminal_value:
/// contracted; sim/finance/terminal_value.hpp).
struct ContractedAfterHorizon {
  /// A lease in force: its net cash rate at the horizon before the facility's operating costs.
  struct Lease {
    std::string name;
    double usd_per_s = 0.0;  ///< rent + power passed through − SLA credits
    double grid_mw = 0.0;    ///< the tenant's grid power (its energy and share of fixed costs)
    double hazard_per_year = 0.0;
    SimTime end_s = 0;       ///< end of its current term
  };
  std::vector<Lease> leases;
  /// Dated payments already fixed (a loan's), USD, inflows positive.
  std::vector<std::pair<SimTime, double>> lumps;
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
  /// Hall `hall` loses `grid_mw` of its space (a conversion starts): the part takes out the
  /// machines that stood there (ASICs: the least efficient first) and settles them.
  virtual void remove_capacity(const std::string& hall, double grid_mw) {
    (void)hall;
    (void)grid_mw;
  }
  /// A named milestone was reached (a conversion completed): things waiting for it start.
  virtual void on_milestone(const std::string& name) { (void)name; }
  /// The value of a published signal now (e.g. "hashprice_usd_per_th_day"); nullopt if the
  /// part does not publish `name` (SectionSpec::signals() lists them at load time).
  virtual std::optional<double> signal(const std::string& name) const {
    (void)name;
    return std::nullopt;
  }
  /// Checks the part's own invariants (jobs conserved, BTC within the issuance schedule, ...)
  /// and throws std::logic_error naming the broken one. Debug and sanitizer builds call it
  /// before every clock step; Release builds never do.
  virtual void check_invariants(SimTime now) const { (void)now; }
  /// Adds what the part's contracts fix after `horizon_s` (called at the horizon).
  virtual void contracted_after(SimTime horizon_s, ContractedAfterHorizon& out) const {
    (void)horizon_s;
    (void)out;
  }
  /// Called once at the horizon: add tables to the recorder (job table, ...).
  virtual void finish(RunContext& ctx) { (void)ctx; }
  /// Appends the part's headline figures (after finish).
  virtual void summarize(std::vector<SummaryItem>& out) const { (void)out; }
};

}  // namespace hybridsim::sim
