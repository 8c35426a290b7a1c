#pragma once
/// The facility's ASIC fleet: cohorts of identical machines, paid through a pool.
///
/// Each decision step every cohort compares hashprice with its own cost of power per TH/s
/// per day, c = (W / TH/s) × 24 h × PUE × p / 10^6 (USD/MWh → USD/Wh). A cohort is wanted
/// while hashprice ≥ c; running machines move toward the wanted count over `ramp` (a full
/// start or stop takes that long), so a researcher sees which generation survives a halving.
/// With `shutoff_margin` m a running cohort stops only below c·(1−m) and a stopped one
/// restarts only above c·(1+m).
/// Power goes to the most efficient cohorts first, up to the fleet's power limit (grid MW,
/// PUE included). Machines fail as a Poisson process (rate per machine-year) and come back
/// after a fixed repair delay.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/bitcoin/bitcoin_catalogue.hpp"
#include "models/bitcoin/bitcoin_world.hpp"
#include "sim/facility/facility_part.hpp"

namespace hybridsim::models::bitcoin {

struct AsicCohortSpec {
  std::string model;
  std::int64_t count = 0;
  double hashrate_ths = 0.0;  ///< per machine
  double power_w = 0.0;       ///< per machine, at the wall of the hall
  double price_usd = 0.0;     ///< per machine (for capital reports)
  double pue = 1.0;           ///< of its hall
  double failure_rate_per_year = 0.0;
  sim::SimTime repair_s = 0;
};

struct MiningSpec {
  std::vector<AsicCohortSpec> cohorts;
  sim::config::ModelChoice<PoolPayout> pool;
  bool shutoff = true;             ///< switch off cohorts whose power costs more than they earn
  double shutoff_margin = 0.0;     ///< hysteresis band around break-even, as a fraction of cost
  sim::SimTime ramp_s = 0;         ///< time for a full start or stop of a cohort
  sim::SimTime decision_step_s = 3600;
};

/// Declared parameters of one `asic_cohorts` entry and of the `mining` map.
const std::vector<sim::config::ParamSpec>& asic_cohort_params();
const std::vector<sim::config::ParamSpec>& mining_params();
/// Keys of the facility map read here.
const std::vector<std::string>& mining_facility_keys();
/// Reads asic_cohorts, pool and mining from the facility map; nullptr when there are no cohorts.
std::shared_ptr<const MiningSpec> read_mining_spec(const sim::config::Document& doc, const YAML::Node& facility,
                                                   const std::string& path,
                                                   const std::map<std::string, double>& hall_pue,
                                                   const sim::config::BuildContext& ctx,
                                                   const BitcoinCatalogue& catalogue);

class MiningFleet final : public sim::FacilityPart {
 public:
  MiningFleet(std::shared_ptr<const MiningSpec> spec, BitcoinWorld& world);

  /// The grid power the fleet may draw, MW (set by the power arbiter).
  void set_power_limit_mw(double limit_mw);

  void start(sim::RunContext& ctx) override;
  double grid_power_mw() const override { return grid_power_mw_; }
  double max_grid_power_mw() const override;
  void update_rates(const sim::WorldState& world) override;
  double cash_rate_usd_per_s() const override { return revenue_usd_->rate_per_s; }

  /// BTC paid for a block found by the network (solo pools pay in lumps).
  void on_block(const BlockFound& block);

  double hashrate_ths() const { return hashrate_ths_; }
  /// Revenue since the start (after start()).
  double revenue_btc_total() const { return revenue_btc_->total; }
  double revenue_usd_total() const { return revenue_usd_->total; }
  std::int64_t running(std::size_t cohort) const { return cohorts_[cohort].running; }

 private:
  struct Cohort {
    const AsicCohortSpec* spec;
    std::int64_t running = 0;
    std::int64_t failed = 0;
    bool wanted = true;            // the economic decision (with hysteresis)
    double wanted_fraction = 1.0;  // of available machines, moved by the ramp
    sim::EventId next_failure;
  };
  void decide();
  void dispatch();
  void schedule_failure(std::size_t i);
  void fail(std::size_t i);
  double cost_usd_per_th_day(const AsicCohortSpec& c) const;
  PayoutState payout_state() const;

  std::shared_ptr<const MiningSpec> spec_;
  BitcoinWorld& world_;
  std::unique_ptr<PoolPayout> pool_;
  std::vector<Cohort> cohorts_;
  std::vector<std::size_t> by_efficiency_;  // cohort indices, lowest J/TH first
  double power_limit_mw_ = 0.0;
  double grid_power_mw_ = 0.0;
  double hashrate_ths_ = 0.0;
  sim::Engine* engine_ = nullptr;
  sim::SimTime horizon_s_ = 0;
  const sim::WorldState* state_ = nullptr;
  sim::Rng pool_rng_, failure_rng_;
  sim::Flow* revenue_btc_ = nullptr;
  sim::Flow* revenue_usd_ = nullptr;
  sim::Flow* cash_usd_ = nullptr;
};

}  // namespace hybridsim::models::bitcoin
