#pragma once
/// Demand response and coincident-peak transmission charges: what the grid pays the facility
/// for not drawing power, and what it charges for drawing at the system's peaks.
///
/// **Programs.** An event runs over scheduled windows [start, start + duration) or while the
/// marginal price is above `price_above_usd_per_mwh`. Its baseline B is the facility's grid
/// draw at the instant the event starts, before the dispatch reacts to it (a "meter before"
/// baseline: what the facility was drawing when called). During the event the facility is
/// credited
///
///   credit rate [USD/s] = c · max(0, B − P(t)) / 3600,   c = credit_usd_per_mwh,
///
/// so credits = c × curtailed MWh exactly. When events overlap only the best-paying one
/// counts (a megawatt is not paid twice). The dispatch sees the credit as part of the
/// effective price p + c: a load worth less per MWh than that is curtailed.
///
/// **Coincident peaks (ERCOT 4CP).** The transmission charge of a year is set by the
/// facility's mean draw in the grid's four coincident-peak intervals (15 minutes each, one in
/// each of June–September). For each peak interval k given (as a list or a CSV column of
/// interval starts) the facility is charged, when the interval ends,
///
///   charge_k = rate_usd_per_mw_year / 4 × (energy drawn in the interval / interval length),
///
/// so a year's four peaks cost rate × their mean MW. Peaks are known only afterwards;
/// operators predict them. In the predicted windows (months × local hours, weekdays only by
/// default) the dispatch adds `avoid_value_usd_per_mwh` to the effective price — by default
/// rate_usd_per_mw_year / (predicted window hours per year): the charge a MW avoids, spread
/// over the hours it must stay off to avoid it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/engine.hpp"
#include "sim/core/ledger.hpp"

namespace hybridsim::sim {

struct DemandResponseProgram {
  struct Window {
    SimTime start_s = 0;
    SimTime end_s = 0;
  };
  std::string name;
  double credit_usd_per_mwh = 0.0;
  std::vector<Window> windows;                      ///< scheduled events
  std::optional<double> price_above_usd_per_mwh;    ///< price-triggered events
};

struct CoincidentPeaks {
  double rate_usd_per_mw_year = 0.0;
  SimTime interval_s = 900;
  std::vector<SimTime> peak_starts_s;  ///< sorted, seconds since the epoch
  /// Prediction rule (empty months: no prediction).
  std::vector<int> predict_months;     ///< 1–12
  std::vector<int> predict_hours;      ///< local hours 0–23
  double utc_offset_hours = 0.0;
  bool weekdays_only = true;
  double avoid_value_usd_per_mwh = 0.0;
};

struct DemandResponseSpec {
  std::vector<DemandResponseProgram> programs;
  std::optional<CoincidentPeaks> peaks;
};

/// The run-time side: schedules the events, tracks the baseline and the credits, books the
/// coincident-peak charges. The Simulation calls it on price changes and before every step.
class DemandResponse {
 public:
  /// `grid_power_mw` reads the facility's draw now; `energy_mwh` is the run's energy flow.
  DemandResponse(DemandResponseSpec spec, std::int64_t epoch_unix_s);

  void start(Engine& engine, SimTime horizon_s, std::function<double()> grid_power_mw, const Flow& energy_mwh,
             Flow& credits_usd, Flow& curtailed_mwh, Flow& charges_usd, std::function<void()> on_change);
  /// The marginal price changed (price-triggered events start or end here).
  void on_price(double price_usd_per_mwh);
  /// What the dispatch adds to the price now, USD/MWh: the best active credit plus, in a
  /// predicted peak window, the avoid value.
  double price_adder_usd_per_mwh() const;
  /// Sets the credit and curtailment rates from the draw now (before every clock step).
  void update_rates(double grid_power_mw);

  bool event_active() const { return active_ >= 0; }
  bool in_peak_window() const { return in_window_; }
  const DemandResponseSpec& spec() const { return spec_; }

 private:
  void begin(std::size_t program);
  void end(std::size_t program);
  void refresh_active();
  bool window_at(SimTime t) const;

  DemandResponseSpec spec_;
  std::int64_t epoch_unix_s_;
  Engine* engine_ = nullptr;
  std::function<double()> grid_power_mw_;
  std::function<void()> on_change_;
  const Flow* energy_mwh_ = nullptr;
  Flow* credits_usd_ = nullptr;
  Flow* curtailed_mwh_ = nullptr;
  Flow* charges_usd_ = nullptr;
  std::vector<bool> running_;        // per program
  std::vector<double> baseline_mw_;  // per program, fixed at its event's start
  std::vector<int> scheduled_open_;  // per program: scheduled windows open now (they may overlap)
  int active_ = -1;                  // the best-paying running program
  bool in_window_ = false;
  double price_usd_per_mwh_ = 0.0;
};

}  // namespace hybridsim::sim
