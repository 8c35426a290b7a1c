#pragma once
/// A scenario: the plain, validated description of one facility and its world. The kernel
/// reads the top level, the halls, the interconnect cap, the dispatch policy, the power
/// price and the finance map; model families read their own sections (section.hpp). Runs
/// build fresh model instances from it.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/config/document.hpp"
#include "sim/config/registry.hpp"
#include "sim/facility/conversion.hpp"
#include "sim/facility/demand_response.hpp"
#include "sim/finance/loan.hpp"
#include "sim/facility/power_arbiter.hpp"
#include "sim/run/section.hpp"

namespace hybridsim::sim {

struct Scenario {
  std::string name;
  std::string description;
  std::string source;              ///< the file it came from
  std::int64_t start_unix_s = 0;   ///< the epoch, UTC
  SimTime horizon_s = 0;
  std::uint64_t seed = 0;
  /// The recording interval in seconds; with record_every_months, its mean length (a month
  /// is a twelfth of a Julian year), for estimates only.
  SimTime record_every_s = 0;
  /// Calendar recording (`record_every: 3 months`, `1 year`): stamps every this many months
  /// from the start (calendar_stamp_s); 0 for a fixed interval of record_every_s.
  int record_every_months = 0;

  config::ModelChoice<PowerPriceModel> power_price;

  std::vector<CapStep> cap_steps;  ///< the interconnect cap over time, sorted, first at 0
  std::vector<HallSpec> halls;
  config::ModelChoice<DispatchPolicy> dispatch;
  SimTime decision_step_s = 3600;
  std::vector<std::shared_ptr<const SectionSpec>> sections;  ///< the families in use
  std::optional<DemandResponseSpec> demand_response;

  double initial_cash_usd = 0.0;
  double fixed_cost_usd_per_year = 0.0;
  double discount_rate_per_year = 0.1;  ///< for the NPV (> −1)
  /// Horizon treatment of NPV/IRR/payback: "none" or "contracted" (sim/finance/terminal_value.hpp).
  std::string terminal_value = "none";
  std::vector<finance::LoanSpec> loans;
  std::vector<ConversionSpec> conversions;

  std::string resolved_yaml;  ///< the scenario with overrides and defaults applied
  /// `file:line:col: warning: ...` for values the loader estimated (e.g. world.bitcoin.start_at
  /// between checkpoints); the CLI prints them on stderr.
  std::vector<std::string> warnings;
  config::BuildContext build;
};

/// Validates `doc` (after its overrides) into a Scenario, with the model families of
/// `plugins`; `seed` overrides the file's seed. Throws config::ScenarioError with
/// `file:line:col: message` for any invalid input.
Scenario load_scenario(config::Document& doc, const Plugins& plugins,
                       const std::optional<std::uint64_t>& seed = std::nullopt);

/// The kernel's parameters, for `hybridsim models`.
const std::vector<config::ParamSpec>& scenario_params();
const std::vector<config::ParamSpec>& world_params();
const std::vector<config::ParamSpec>& facility_params();
const std::vector<config::ParamSpec>& cap_step_params();
const std::vector<config::ParamSpec>& hall_params();
const std::vector<config::ParamSpec>& hall_limit_step_params();
const std::vector<config::ParamSpec>& finance_params();
const std::vector<config::ParamSpec>& loan_params();
const std::vector<config::ParamSpec>& conversion_params();
/// Signals the kernel publishes for conversion triggers (besides the families').
const std::vector<std::string>& kernel_signals();

}  // namespace hybridsim::sim
