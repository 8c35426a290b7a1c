#pragma once
/// The bitcoin world: price, the rest of the world's hashrate, fees and the block process.
///
/// Blocks are found by hashing work: each block needs W hashes, W ~ Exp(mean D × 2^32) in
/// Poisson mode (exactly D × 2^32 in deterministic mode), done at the network's hashrate H,
/// which is constant between events. When H changes, the remaining work is kept and the next
/// block is rescheduled — exact for a Poisson process with piecewise-constant rate
/// H / (D × 2^32), and it spends no random numbers on rate changes, so sweeps that differ in
/// a parameter keep their block draws aligned (common random numbers).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/bitcoin/bitcoin_catalogue.hpp"
#include "models/bitcoin/bitcoin_state.hpp"
#include "models/bitcoin/chain.hpp"
#include "sim/facility/facility_part.hpp"

namespace hybridsim::models::bitcoin {

struct BitcoinWorldSpec {
  sim::config::ModelChoice<BtcPriceModel> btc_price;
  sim::config::ModelChoice<NetworkModel> network;
  sim::config::ModelChoice<FeeModel> fees;
  std::int64_t start_height = 0;
  double start_difficulty = 1.0;
  sim::SimTime start_block_time_s = 0;  ///< time of the start block, seconds since the epoch
  /// Time of the first block of the start block's retarget window (seconds since the epoch);
  /// none: the window's earlier blocks are taken as 600 s apart.
  std::optional<sim::SimTime> window_start_time_s;
  bool deterministic_blocks = false;
  ChainRules rules;  ///< Bitcoin Core's by default
  sim::SimTime price_step_s = 3600;
  sim::SimTime network_step_s = 3600;
};

/// Keys of the scenario's `world` map read by read_bitcoin_world.
const std::vector<std::string>& bitcoin_world_keys();
/// The declared parameters of the `world.bitcoin` map (chain start, block mode, steps).
const std::vector<sim::config::ParamSpec>& bitcoin_chain_params();
/// Reads btc_price, network, fees and bitcoin (chain start and steps) from the world map.
BitcoinWorldSpec read_bitcoin_world(const sim::config::Document& doc, const YAML::Node& world,
                                    const std::string& path, const sim::config::BuildContext& ctx,
                                    const BitcoinCatalogue& catalogue);

/// A block as the world saw it, passed to listeners (payouts).
struct BlockFound {
  sim::SimTime time_s = 0;
  std::int64_t height = 0;
  std::int64_t subsidy_sat = 0;
  std::int64_t fees_sat = 0;
};

class BitcoinWorld {
 public:
  BitcoinWorld(const BitcoinWorldSpec& spec, BitcoinState& state);

  /// Schedules price and network steps and the first block; records the world's columns.
  void start(sim::RunContext& ctx, std::function<void(const BlockFound&)> on_block);
  /// The facility's hashrate changed (machines started, stopped, failed): reschedule.
  void set_facility_hashrate_ths(double ths);
  /// Adds the network-events table (halvings, retargets) to the recorder.
  void finish(sim::RunContext& ctx);

  const Chain& chain() const { return chain_; }
  const BitcoinState& state() const { return state_; }
  /// Changes whenever the state that rates depend on does (price, network, difficulty,
  /// subsidy, expected fees, facility hashrate); not with the height alone.
  std::uint64_t version() const { return version_; }

 private:
  void step_price();
  void step_network();
  void block();
  void advance_work();
  void reschedule_block();
  /// Replaces the pending block by the next one due at the current work and rate (none when
  /// no one hashes or it falls after the horizon). With `may_run_inline`, a block that is the
  /// next thing to happen is not queued: the clock moves to it and this returns true, for the
  /// caller to run it.
  bool schedule_next_block(bool may_run_inline);
  /// The state derived from the chain and the price (height, difficulty, subsidy, expected
  /// fees, hashprice). The fee model must have been told the time (observe_time_s) first.
  void refresh_derived();
  double total_hashes_per_s() const;

  BitcoinState& state_;
  std::unique_ptr<BtcPriceModel> price_;
  std::unique_ptr<NetworkModel> network_;
  std::unique_ptr<FeeModel> fees_;
  Chain chain_;
  bool deterministic_;
  sim::SimTime start_block_time_s_;
  sim::SimTime price_step_s_;
  sim::SimTime network_step_s_;

  sim::Engine* engine_ = nullptr;
  sim::SimTime horizon_s_ = 0;
  sim::Rng price_rng_, network_rng_, fee_rng_, block_rng_;
  std::function<void(const BlockFound&)> on_block_;
  sim::EventId next_block_;
  std::uint64_t version_ = 0;
  // What the world's rates read, as of the last refresh_derived (which moves the version
  // only when these change; hashprice is a function of them). Compared with ==, so a NaN
  // always counts as a change.
  struct RateInputs {
    double btc_price_usd = 0.0, difficulty = 0.0;
    std::int64_t subsidy_sat = -1;
    double expected_fees_sat = 0.0;
    bool operator==(const RateInputs&) const = default;
  };
  RateInputs rate_inputs_;
  double remaining_hashes_ = 0.0;  // work left to find the next block
  sim::SimTime work_clock_s_ = 0;  // when remaining_hashes_ was last brought up to date
  sim::SimTime last_halving_s_;

  // Network-events table columns.
  std::vector<std::int64_t> ev_time_s_, ev_height_;
  std::vector<std::string> ev_kind_;
  std::vector<double> ev_old_, ev_new_, ev_timespan_s_;
};

}  // namespace hybridsim::models::bitcoin
