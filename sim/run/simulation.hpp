#pragma once
/// One run of a scenario: builds the world and the facility, runs the engine to the horizon
/// and returns the recorded time series.
///
/// Energy is billed here for every part: between events the grid power P (MW, PUE included)
/// and the price p (USD/MWh) are constant, so energy (MWh) grows at P/3600 per second and
/// its cost at P·p/3600. Grid power never exceeds the interconnect cap: parts are given
/// power limits that sum to at most the cap (AI first — contracted capacity is reserved —
/// then mining takes the rest; a dispatch policy will refine this).
#include <cstdint>
#include <memory>
#include <vector>

#include "models/bitcoin/bitcoin_world.hpp"
#include "models/bitcoin/mining_fleet.hpp"
#include "models/power/power_price_model.hpp"
#include "sim/core/engine.hpp"
#include "sim/core/ledger.hpp"
#include "sim/core/rng_streams.hpp"
#include "sim/facility/facility_part.hpp"
#include "sim/output/recorder.hpp"
#include "sim/run/scenario.hpp"

namespace hybridsim::sim {

/// Headline figures of a run, printed by the CLI and stored as root attributes.
struct RunSummary {
  double energy_mwh = 0.0;
  double energy_cost_usd = 0.0;
  double mining_revenue_btc = 0.0;
  double mining_revenue_usd = 0.0;
  double cash_usd = 0.0;  ///< at the horizon
  double peak_grid_power_mw = 0.0;
  std::int64_t final_height = 0;
  std::int64_t halvings = 0;
  std::uint64_t events = 0;
};

class Simulation {
 public:
  explicit Simulation(const Scenario& scenario);
  ~Simulation();

  /// Runs to the horizon (once) and returns the results, root attributes included.
  output::RunDataset run();
  const RunSummary& summary() const { return summary_; }
  const Engine& engine() const { return engine_; }

 private:
  void on_advance(SimTime from, SimTime to);
  void step_power_price();
  double grid_power_mw() const;

  const Scenario& scenario_;
  Engine engine_;
  RngStreams rng_;
  output::Recorder recorder_;
  Ledger ledger_;
  WorldState world_;
  Flow& energy_mwh_;
  Flow& energy_cost_usd_;
  Flow& fixed_cost_usd_;
  Flow& cash_usd_;
  RunContext ctx_;
  std::unique_ptr<models::power::PowerPriceModel> power_price_;
  Rng power_rng_;
  std::unique_ptr<models::bitcoin::BitcoinWorld> bitcoin_;
  models::bitcoin::MiningFleet* mining_ = nullptr;
  std::vector<std::unique_ptr<FacilityPart>> parts_;
  RunSummary summary_;
  bool ran_ = false;
};

}  // namespace hybridsim::sim
