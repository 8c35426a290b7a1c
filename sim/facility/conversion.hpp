#pragma once
/// Conversions: M megawatts of a hall (a mining hall) rebuilt as another hall (an HPC hall).
///
/// When a conversion starts — at its date, or when its trigger has held — the `from` hall's
/// limit falls by M at once (those megawatts go dark; the parts take out the machines that
/// stood there, PowerArbiter limits follow), the capital M × capex per MW is paid on the
/// account `conversion_capex`, and after the lead time the `to` hall's limit rises by M and
/// the milestone named after the conversion is announced to the parts (a tenant's contract
/// or a cluster waiting for it starts). Powers are grid MW, as every hall limit.
///
/// Trigger: every `check_every` the signal (a series a part publishes, e.g.
/// hashprice_usd_per_th_day) is compared with `below`; the conversion starts at the first
/// check at which it has been below at every check for at least `for_days`.
#include <optional>
#include <string>
#include <vector>

#include "sim/core/engine.hpp"
#include "sim/core/ledger.hpp"
#include "sim/facility/facility_part.hpp"
#include "sim/facility/power_arbiter.hpp"

namespace hybridsim::sim {

struct ConversionTrigger {
  std::string signal;        ///< name of a published signal
  double below = 0.0;        ///< the condition: signal < below
  SimTime for_s = 0;         ///< how long it must hold
  SimTime check_every_s = 86400;
};

struct ConversionSpec {
  std::string name;
  std::string from;               ///< hall losing the megawatts
  std::string to;                 ///< hall gaining them on completion
  double mw = 0.0;                ///< grid MW converted
  double capex_usd_per_mw = 0.0;  ///< paid when the conversion starts
  SimTime lead_time_s = 0;        ///< dark period, start to completion
  std::optional<SimTime> at_s;    ///< start date, or
  std::optional<ConversionTrigger> trigger;  ///< a trigger
};

/// Runs the conversions of a scenario.
class Conversions {
 public:
  Conversions(std::vector<ConversionSpec> specs, PowerArbiter& arbiter, std::vector<FacilityPart*> parts,
              std::function<std::optional<double>(const std::string&)> signal);
  /// Schedules dates and trigger checks; opens the capex account and records the series.
  void start(RunContext& ctx);

  /// Grid MW dark now (started, not completed).
  double dark_mw() const { return dark_mw_; }
  /// When conversion i started (−1: not yet).
  SimTime started_s(std::size_t i) const { return started_s_[i]; }
  const Flow& capex() const { return *capex_; }

 private:
  void begin(std::size_t i);
  void complete(std::size_t i);
  void check(std::size_t i);

  std::vector<ConversionSpec> specs_;
  PowerArbiter& arbiter_;
  std::vector<FacilityPart*> parts_;
  std::function<std::optional<double>(const std::string&)> signal_;
  Engine* engine_ = nullptr;
  SimTime horizon_s_ = 0;
  std::vector<SimTime> started_s_;
  std::vector<SimTime> below_since_s_;  // per conversion: first check of the current run below, −1: none
  double dark_mw_ = 0.0;
  Flow* capex_ = nullptr;
};

}  // namespace hybridsim::sim
