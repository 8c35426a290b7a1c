#pragma once
/// One run of a scenario: builds the world and the facility from the scenario's sections,
/// runs the engine to the horizon and returns the recorded time series.
///
/// Energy is billed here for every consumer: between events the grid power P (MW, PUE
/// included) and the marginal price p (USD/MWh) are constant, so energy (MWh) grows at
/// P/3600 per second and its cost at cost_usd_per_h(P, p)/3600 (P·p/3600 for most price
/// models; a PPA bills its block at the contract price). The PowerArbiter grants every
/// megawatt; before every clock step the Simulation checks its invariants (no consumer,
/// hall or the facility above its limit).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/engine.hpp"
#include "sim/core/ledger.hpp"
#include "sim/core/rng_streams.hpp"
#include "sim/facility/conversion.hpp"
#include "sim/facility/demand_response.hpp"
#include "sim/facility/facility_part.hpp"
#include "sim/facility/power_arbiter.hpp"
#include "sim/finance/investment_metrics.hpp"
#include "sim/output/recorder.hpp"
#include "sim/run/scenario.hpp"

namespace hybridsim::sim {

/// Headline figures of a run, printed by the CLI and stored as root attributes.
struct RunSummary {
  double energy_mwh = 0.0;
  double energy_cost_usd = 0.0;
  double cash_usd = 0.0;  ///< at the horizon
  // Money (docs/models/finance.md): totals over the run, USD.
  double revenue_usd = 0.0;         ///< Σ revenue accounts
  double operating_cost_usd = 0.0;  ///< Σ operating-cost accounts (energy, transmission, fixed, SLA, ...)
  double ebitda_usd = 0.0;          ///< revenue − operating costs
  double capital_spent_usd = 0.0;   ///< Σ capital outflows (ASICs, GPUs, conversions)
  double npv_usd = 0.0;             ///< of the net cash per recording interval at the discount rate, plus the terminal value
  double npv_run_usd = 0.0;         ///< the same without the terminal value (the simulated years only)
  double terminal_value_usd = 0.0;  ///< PV of the contracted cash after the horizon (finance.terminal_value)
  double irr_per_year = 0.0;        ///< NaN when there is none
  double payback_years = 0.0;       ///< NaN when cash never recovers
  std::string payback_date;         ///< UTC date of the payback, "never" when none
  double max_drawdown_usd = 0.0;    ///< deepest fall of cash below its earlier peak
  double curtailed_mwh = 0.0;       ///< demand left unserved by dispatch, grid MWh
  std::vector<SummaryItem> accounts;  ///< every account's total (key: <account>_usd)
  double peak_grid_power_mw = 0.0;
  double dr_credits_usd = 0.0;           ///< demand-response credits earned
  double dr_curtailed_mwh = 0.0;         ///< below the demand-response baselines
  double transmission_charge_usd = 0.0;  ///< coincident-peak charges
  std::uint64_t events = 0;
  std::uint64_t decisions = 0;  ///< dispatch decisions
  std::vector<SummaryItem> items;  ///< the parts' figures (mining revenue, final height, ...)

  /// The item named `key`; std::out_of_range if no part reported it.
  double value(const std::string& key) const;
};

/// Invariant checks run by every Simulation of this process so far (Debug builds only).
std::uint64_t invariant_checks_total();

class Simulation {
 public:
  explicit Simulation(Scenario scenario);
  explicit Simulation(std::shared_ptr<const Scenario> scenario);
  ~Simulation();

  /// Runs to the horizon (once) and returns the results, root attributes included.
  output::RunDataset run();
  const RunSummary& summary() const { return summary_; }
  const Engine& engine() const { return engine_; }
  const PowerArbiter& arbiter() const { return *arbiter_; }
  const Scenario& scenario() const { return *scenario_; }
  /// The ledger: every account and flow (after run(), their totals).
  const Ledger& ledger() const { return ledger_; }
  /// The conversions (null without facility.conversions).
  const Conversions* conversions() const { return conversions_.get(); }
  /// Called after the rates are set and before every clock step [from, to): for tests that
  /// check invariants at every instant.
  void set_step_observer(std::function<void(SimTime from, SimTime to)> observer) { observer_ = std::move(observer); }
  /// Called once the recorded columns are declared, before the clock starts, with the values
  /// each sample adds and the number of samples the run will take: the CLI refuses runs whose
  /// results would not fit (it throws from here).
  void set_start_observer(std::function<void(std::size_t values_per_sample, std::size_t samples)> observer) {
    start_observer_ = std::move(observer);
  }
  /// Streams the recorded series and tables to `sink` as the run goes (StreamWriter) instead
  /// of returning them from run(), whose dataset then holds the layout and the root
  /// attributes only. Call before run(); `sink` must outlive it.
  void stream_to(output::RecordSink& sink, std::size_t samples_per_block = output::Recorder::kSamplesPerBlock,
                 std::size_t table_rows_per_chunk = output::Recorder::kTableRowsPerChunk) {
    recorder_.stream_to(sink, samples_per_block, table_rows_per_chunk);
  }
  /// Called at every recording stamp with the simulated time (progress reports).
  void set_progress_observer(std::function<void(SimTime now)> observer) { progress_ = std::move(observer); }
  /// Invariant checks run so far (each part's and the ledger's, at each clock step; Debug only).
  std::uint64_t invariant_checks() const { return invariant_checks_; }

 private:
  void on_advance(SimTime from, SimTime to);
  /// The first recorded stock or flow that is not finite now (for error messages).
  std::optional<std::pair<std::string, double>> non_finite_now();
  /// fail_non_finite() about the first of them (or the ledger when no recorded one is).
  [[noreturn]] void fail_non_finite_now(SimTime t);
  void check_invariants(SimTime now);
  /// Throws ScenarioError: `quantity` became `value` at `t`, and what in the scenario feeds it.
  [[noreturn]] void fail_non_finite(const std::string& quantity, double value, SimTime t) const;
  void next_power_price();
  void update_prices();
  double cash_usd() const { return scenario_->initial_cash_usd + ledger_.net_cash_usd(); }
  std::optional<double> signal(const std::string& name) const;
  void summarize_money();
  void record_sample(SimTime t);
  void schedule_calendar_sample(std::int64_t k);
  std::vector<SummaryItem> money_items() const;

  std::shared_ptr<const Scenario> scenario_;
  Engine engine_;
  RngStreams rng_;
  output::Recorder recorder_;
  Ledger ledger_;
  WorldState world_;
  Flow& energy_mwh_;
  Flow& energy_cost_usd_;
  Flow& fixed_cost_usd_;
  Flow& curtailed_mwh_;
  RunContext ctx_;
  std::unique_ptr<PowerPriceModel> power_price_;
  Rng power_rng_;
  std::unique_ptr<PowerArbiter> arbiter_;
  std::unique_ptr<DemandResponse> demand_response_;  ///< null without a demand_response map
  Flow& dr_credits_usd_;
  Flow& dr_curtailed_mwh_;
  Flow& transmission_charge_usd_;
  std::vector<std::unique_ptr<FacilityPart>> parts_;
  std::unique_ptr<Conversions> conversions_;
  std::vector<std::optional<std::uint64_t>> rates_seen_;  // per part: the version its rates were set at
  bool world_changed_ = true;                             // the power price moved since the last step
  std::uint64_t decisions_seen_ = ~std::uint64_t{0};      // the arbiter's decision count at the last step
  double grid_power_mw_ = 0.0;                            // grid power at the last step
  double cash_usd_sampled_ = 0.0;                         // cash as the last sample recorded it
  PowerArbiter::PowerBreakdown power_now_;                // the arbiter's powers at the sample being taken
  std::function<void(SimTime, SimTime)> observer_;
  std::function<void(std::size_t, std::size_t)> start_observer_;
  std::function<void(SimTime)> progress_;
  std::vector<finance::DatedCash> cash_stream_;  // net cash of each recording interval, dated at its end
  double cash_at_last_sample_usd_ = 0.0;
  std::uint64_t invariant_checks_ = 0;
  RunSummary summary_;
  ContractedAfterHorizon contracted_;  // what contracts fix after the horizon, read at it
  bool ran_ = false;
};

}  // namespace hybridsim::sim
