#pragma once
/// The bitcoin family's part of a scenario: `world.{bitcoin, btc_price, network, fees}` and
/// `facility.{asic_cohorts, pool, mining}`. At run time one BitcoinPart holds the world
/// (price, network, chain, blocks) and, when there are ASICs, the fleet whose cohorts are
/// the arbiter's consumers.
#include <memory>

#include "models/bitcoin/bitcoin_catalogue.hpp"
#include "models/bitcoin/bitcoin_world.hpp"
#include "models/bitcoin/mining_fleet.hpp"
#include "sim/run/section.hpp"

namespace hybridsim::models::bitcoin {

/// The validated bitcoin section of one scenario.
struct BitcoinSectionSpec final : sim::SectionSpec {
  BitcoinWorldSpec world;
  std::shared_ptr<const MiningSpec> mining;  ///< null without ASICs

  std::vector<std::unique_ptr<sim::FacilityPart>> build() const override;
  double nameplate_mw(sim::LoadKind kind) const override;
};

/// The bitcoin world and the ASIC fleet as one facility part.
class BitcoinPart final : public sim::FacilityPart {
 public:
  explicit BitcoinPart(const BitcoinSectionSpec& spec);
  void start(sim::RunContext& ctx) override;
  std::vector<sim::PowerConsumer*> consumers() override;
  void update_rates(const sim::WorldState& world) override;
  std::optional<std::uint64_t> rates_version() const override { return world_.version(); }
  double cash_rate_usd_per_s() const override;
  double cash_earned_usd() const override { return fleet_ ? fleet_->revenue_usd_total() : 0.0; }
  /// BTC earned never exceeds what the chain issued since the start (subsidies and fees of
  /// the blocks found) plus the reward of the block in progress.
  void check_invariants(sim::SimTime now) const override;
  void finish(sim::RunContext& ctx) override;
  void summarize(std::vector<sim::SummaryItem>& out) const override;

  const BitcoinWorld& world() const { return world_; }
  const MiningFleet* fleet() const { return fleet_.get(); }

 private:
  BitcoinState state_;
  BitcoinWorld world_;
  std::unique_ptr<MiningFleet> fleet_;
  std::int64_t issued_sat_ = 0;  // subsidies and fees of the blocks found since the start
};

/// Reads the bitcoin keys of a scenario.
class BitcoinSection final : public sim::ScenarioSection {
 public:
  explicit BitcoinSection(const BitcoinCatalogue& catalogue) : catalogue_(catalogue) {}
  const std::vector<std::string>& world_keys() const override;
  const std::vector<std::string>& facility_keys() const override;
  std::shared_ptr<const sim::SectionSpec> read(const sim::config::Document& doc, const YAML::Node& world,
                                               const YAML::Node& facility, const std::vector<sim::HallSpec>& halls,
                                               const sim::config::BuildContext& ctx) const override;

 private:
  const BitcoinCatalogue& catalogue_;
};

}  // namespace hybridsim::models::bitcoin
