#pragma once
/// The facility's ASIC fleet: cohorts of identical machines, paid through a pool. Each
/// cohort is a sim::PowerConsumer; the PowerArbiter's dispatch policy alone decides how much
/// power each may draw (the economic shut-off lives there, one decision-maker).
///
/// Value of power to a cohort (what a policy compares with the power price), USD per grid MWh:
///
///   v = h · (1 − f) · (TH/s per machine) / (W per machine × PUE / 10^6) / 24
///
/// with h the gross hashprice (USD per TH/s per day) and f the pool's fee, so v ≥ p exactly
/// when the machines earn, after the pool's cut, what their power costs. With
/// `shutoff_margin` m the value a cohort reports carries a hysteresis band: v/(1−m) while it
/// runs, v/(1+m) while it is off, so a running cohort stops only below p·(1−m) and a
/// stopped one restarts only above p·(1+m); it does not flicker while hashprice hovers at
/// break-even. With `shutoff: false` a cohort is not curtailable (it runs whatever the price).
///
/// Ramp: a cohort's running share w of its available machines moves by at most
/// Δt / ramp between decisions Δt apart (a full start or stop takes `ramp`); min_power_mw and
/// max_power_mw are the powers at w − Δt/ramp and w + Δt/ramp. A lower limit applies at once
/// (machines stop in seconds; the cap is hard). Running machines:
/// n = min(⌊w · available⌋, ⌊limit / unit MW⌋). Machines fail as a Poisson process (rate per
/// machine-year) and come back after a fixed repair delay.
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
  std::string name;   ///< unique among the facility's consumers (default: the model)
  std::string model;
  std::string hall;
  std::int64_t count = 0;
  double hashrate_ths = 0.0;  ///< per machine
  double power_w = 0.0;       ///< per machine, at the wall of the hall
  double price_usd = 0.0;     ///< per machine, paid on arrival (AsicCapital)
  sim::SimTime arrives_s = 0;  ///< installed at (seconds since the epoch; ≤ 0: at the start)
  sim::SimTime retires_s = -1; ///< taken out and sold at (−1: never)
  double depreciation_years = 4.0;  ///< straight-line life of the purchase price
  double pue = 1.0;           ///< of its hall
  double failure_rate_per_year = 0.0;
  sim::SimTime repair_s = 0;
};

struct MiningSpec {
  std::vector<AsicCohortSpec> cohorts;
  sim::config::ModelChoice<PoolPayout> pool;
  bool shutoff = true;             ///< cohorts may be curtailed when power costs more than they earn
  double shutoff_margin = 0.0;     ///< hysteresis band around break-even, as a fraction of cost
  sim::SimTime ramp_s = 0;         ///< time for a full start or stop of a cohort
  double resale_margin_days = 180.0;  ///< resale value: days of the machine's margin (AsicCapital)
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

class MiningFleet {
 public:
  MiningFleet(std::shared_ptr<const MiningSpec> spec, BitcoinWorld& world);

  /// Makes flows, schedules failures and declares the recorded columns.
  void start(sim::RunContext& ctx);
  /// One consumer per cohort, in declaration order (stable addresses).
  std::vector<sim::PowerConsumer*> consumers();
  void update_rates(const sim::WorldState& world);
  /// Mining revenue now, USD/s (valid after update_rates).
  double revenue_usd_per_s() const { return revenue_usd_->rate_per_s; }
  /// Machines in place in cohort i (arrived, not retired nor removed); failures are among them.
  std::int64_t installed(std::size_t cohort) const { return cohorts_[cohort].installed; }
  /// Puts n machines in place in cohort i (0 ≤ n ≤ count): arrivals, retirements, removals.
  void set_installed(std::size_t cohort, std::int64_t n);
  std::size_t cohort_count() const { return cohorts_.size(); }
  const AsicCohortSpec& cohort_spec(std::size_t cohort) const { return *cohorts_[cohort].spec_; }
  /// The most grid power the fleet can draw, MW.
  double max_grid_power_mw() const;
  double grid_power_mw() const;

  /// BTC paid for a block found by the network (solo pools pay in lumps); returns the USD
  /// value of that lump (0: none).
  double on_block(const BlockFound& block);

  double hashrate_ths() const { return hashrate_ths_; }
  /// Revenue since the start (after start()).
  double revenue_btc_total() const { return revenue_btc_->value(); }
  double revenue_usd_total() const { return revenue_usd_->value(); }
  /// Satoshis paid in whole blocks (solo), summed as integers: exact, as Core counts them.
  std::int64_t paid_sat_total() const { return paid_sat_; }
  /// The revenue's two sources, USD since the start: block subsidy and transaction fees.
  double subsidy_usd_total() const { return subsidy_usd_->value(); }
  double fees_usd_total() const { return fees_usd_->value(); }
  std::int64_t running(std::size_t cohort) const { return cohorts_[cohort].running; }
  /// Hashprice net of the pool fee, USD per TH/s per day.
  double net_hashprice_usd_per_th_day() const;

 private:
  class Cohort final : public sim::PowerConsumer {
   public:
    Cohort(MiningFleet& fleet, const AsicCohortSpec& spec);
    const std::string& name() const override { return spec_->name; }
    const std::string& hall() const override { return spec_->hall; }
    sim::LoadKind kind() const override { return sim::LoadKind::kAsic; }
    double power_mw() const override { return static_cast<double>(running) * unit_mw_; }
    double min_power_mw() const override;
    double max_power_mw() const override;
    double nameplate_mw() const override { return static_cast<double>(spec_->count) * unit_mw_; }
    void set_power_limit_mw(double limit_mw) override;
    double power_limit_mw() const override { return limit_mw_; }
    double value_usd_per_mwh() const override;
    bool curtailable() const override;
    sim::PowerReading reading() const override;

    /// Tells the arbiter its demand moved (machines arrived or left).
    void notify_changed() { demand_changed(); }
    /// Sets `running` from the wanted share, the machines available and the limit.
    void dispatch();
    double step_fraction() const;
    // min_power_mw and max_power_mw for a ramp step already computed.
    double floor_mw(double step) const;
    double ceiling_mw(double step) const;

    MiningFleet& fleet_;
    const AsicCohortSpec* spec_;
    double unit_mw_;           // grid MW of one machine
    std::int64_t running = 0;
    std::int64_t failed = 0;
    std::int64_t installed = 0;  // in place: arrived and not retired
    bool wanted = true;            // the last decision's economic state (for the hysteresis)
    double wanted_fraction = 1.0;  // of available machines, moved by the ramp
    double limit_mw_;
    sim::SimTime last_move_s = -1;  // when the ramp last moved; -1: never (first decision is free)
    sim::EventId next_failure;
    sim::Rng failure_rng;  // the stream asic_failures.<cohort name>
  };
  void refresh();
  void schedule_failure(std::size_t i);
  void fail(std::size_t i);
  PayoutState payout_state() const;

  std::shared_ptr<const MiningSpec> spec_;
  BitcoinWorld& world_;
  std::unique_ptr<PoolPayout> pool_;
  std::vector<Cohort> cohorts_;
  double hashrate_ths_ = 0.0;
  bool refreshed_ = false;  // the world has been told the fleet's hashrate at least once
  sim::Engine* engine_ = nullptr;
  sim::SimTime horizon_s_ = 0;
  sim::Rng pool_rng_;
  sim::Flow* revenue_btc_ = nullptr;
  sim::Flow* revenue_usd_ = nullptr;
  sim::Flow* subsidy_usd_ = nullptr;
  sim::Flow* fees_usd_ = nullptr;
  sim::Flow scratch_[4];  // stand in for the ledger's flows before start()
  std::int64_t paid_sat_ = 0;
};

}  // namespace hybridsim::models::bitcoin
