#pragma once
/// The bitcoin family's part of a scenario: `world.{bitcoin, btc_price, network, fees}` and
/// `facility.{asic_cohorts, pool, mining}`. At run time one BitcoinPart holds the world
/// (price, network, chain, blocks) and, when there are ASICs, the fleet whose cohorts are
/// the arbiter's consumers.
#include <memory>

#include "models/bitcoin/bitcoin_catalogue.hpp"
#include "models/bitcoin/asic_capital.hpp"
#include "models/bitcoin/bitcoin_world.hpp"
#include "models/bitcoin/btc_treasury.hpp"
#include "models/bitcoin/mining_fleet.hpp"
#include "sim/run/section.hpp"

namespace hybridsim::models::bitcoin {

/// The validated bitcoin section of one scenario.
struct BitcoinSectionSpec final : sim::SectionSpec {
  BitcoinWorldSpec world;
  std::shared_ptr<const MiningSpec> mining;  ///< null without ASICs
  TreasurySpec treasury;

  std::vector<std::unique_ptr<sim::FacilityPart>> build() const override;
  double nameplate_mw(sim::LoadKind kind) const override;
  std::vector<std::string> signals() const override;
};

/// The bitcoin world and the ASIC fleet as one facility part.
class BitcoinPart final : public sim::FacilityPart {
 public:
  explicit BitcoinPart(const BitcoinSectionSpec& spec);
  void start(sim::RunContext& ctx) override;
  std::vector<sim::PowerConsumer*> consumers() override;
  void update_rates(const sim::WorldState& world) override;
  std::optional<std::uint64_t> rates_version() const override {
    return world_.version() + (capital_ ? capital_->version() : 0);
  }
  void remove_capacity(const std::string& hall, double grid_mw) override;
  std::optional<double> signal(const std::string& name) const override;
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
  std::unique_ptr<AsicCapital> capital_;     ///< with a fleet
  std::unique_ptr<BtcTreasury> treasury_;    ///< with a fleet
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
