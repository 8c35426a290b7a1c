#pragma once
/// A scenario: the plain, validated description of one facility and its world. Strategy
/// choices are resolved through the registries; runs build fresh model instances from it.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/bitcoin/bitcoin_world.hpp"
#include "models/bitcoin/mining_fleet.hpp"
#include "models/power/power_price_model.hpp"
#include "sim/config/document.hpp"
#include "sim/config/registry.hpp"

namespace hybridsim::models::ai {
struct AiSpec;
}

namespace hybridsim::sim {

struct Scenario {
  std::string name;
  std::string description;
  std::string source;              ///< the file it came from
  std::int64_t start_unix_s = 0;   ///< the epoch, UTC
  SimTime horizon_s = 0;
  std::uint64_t seed = 0;
  SimTime record_every_s = 0;

  models::bitcoin::BitcoinWorldSpec bitcoin;
  config::ModelChoice<models::power::PowerPriceModel> power_price;
  SimTime power_step_s = 3600;

  double power_cap_mw = 0.0;
  std::map<std::string, double> hall_pue;
  std::shared_ptr<const models::bitcoin::MiningSpec> mining;  ///< null without ASICs
  std::shared_ptr<const models::ai::AiSpec> ai;               ///< null without GPUs

  double initial_cash_usd = 0.0;
  double fixed_cost_usd_per_year = 0.0;

  std::string resolved_yaml;  ///< the scenario with overrides and defaults applied
  config::BuildContext build;
};

/// Validates `doc` (after its overrides) into a Scenario; `seed` overrides the file's seed.
/// Throws config::ScenarioError with `file:line:col: message` for any invalid input.
Scenario load_scenario(config::Document& doc, const std::optional<std::uint64_t>& seed = std::nullopt);

/// The top-level and section parameters, for `hybridsim models`.
const std::vector<config::ParamSpec>& scenario_params();
const std::vector<config::ParamSpec>& world_params();
const std::vector<config::ParamSpec>& facility_params();
const std::vector<config::ParamSpec>& hall_params();
const std::vector<config::ParamSpec>& finance_params();

}  // namespace hybridsim::sim
