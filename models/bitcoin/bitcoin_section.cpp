#include "models/bitcoin/bitcoin_section.hpp"

#include "models/bitcoin/consensus.hpp"

#include <stdexcept>
#include <string>

namespace hybridsim::models::bitcoin {

std::vector<std::unique_ptr<sim::FacilityPart>> BitcoinSectionSpec::build() const {
  std::vector<std::unique_ptr<sim::FacilityPart>> parts;
  parts.push_back(std::make_unique<BitcoinPart>(*this));
  return parts;
}

double BitcoinSectionSpec::nameplate_mw(sim::LoadKind kind) const {
  if (kind != sim::LoadKind::kAsic || !mining) return 0.0;
  double mw = 0.0;
  for (const auto& c : mining->cohorts) mw += static_cast<double>(c.count) * c.power_w * c.pue / 1e6;
  return mw;
}

BitcoinPart::BitcoinPart(const BitcoinSectionSpec& spec) : world_(spec.world, state_) {
  if (spec.mining) fleet_ = std::make_unique<MiningFleet>(spec.mining, world_);
}

void BitcoinPart::start(sim::RunContext& ctx) {
  world_.start(ctx, [this](const BlockFound& b) {
    issued_sat_ += b.subsidy_sat + b.fees_sat;
    if (fleet_) fleet_->on_block(b);
  });
  if (fleet_) fleet_->start(ctx);
}

std::vector<sim::PowerConsumer*> BitcoinPart::consumers() {
  return fleet_ ? fleet_->consumers() : std::vector<sim::PowerConsumer*>{};
}

void BitcoinPart::update_rates(const sim::WorldState& world) {
  if (fleet_) fleet_->update_rates(world);
}

double BitcoinPart::cash_rate_usd_per_s() const { return fleet_ ? fleet_->cash_rate_usd_per_s() : 0.0; }

void BitcoinPart::check_invariants(sim::SimTime now) const {
  if (!fleet_) return;
  const BitcoinState& s = world_.state();
  const double next_block_btc = static_cast<double>(s.subsidy_sat + s.expected_fees_sat) / kCoinSat;
  const double bound = static_cast<double>(issued_sat_) / kCoinSat + next_block_btc;
  const double earned = fleet_->revenue_btc_total();
  if (earned < -1e-12 || earned > bound * (1 + 1e-9) + 1e-12)
    throw std::logic_error("bitcoin invariant broken at t=" + std::to_string(now) + " s: the fleet earned " +
                           std::to_string(earned) + " BTC, the chain issued " +
                           std::to_string(static_cast<double>(issued_sat_) / kCoinSat) +
                           " BTC since the start plus " + std::to_string(next_block_btc) + " BTC in progress");
}

void BitcoinPart::finish(sim::RunContext& ctx) { world_.finish(ctx); }

void BitcoinPart::summarize(std::vector<sim::SummaryItem>& out) const {
  out.push_back({"final_height", static_cast<double>(world_.chain().height()), "1", "block height at the horizon"});
  out.push_back({"halvings", static_cast<double>(state_.halvings_seen), "1", "halvings during the run"});
  out.push_back({"mining_revenue_btc", fleet_ ? fleet_->revenue_btc_total() : 0.0, "BTC", "mining revenue"});
  out.push_back({"mining_revenue_usd", fleet_ ? fleet_->revenue_usd_total() : 0.0, "USD",
                 "mining revenue, sold at the running price"});
}

const std::vector<std::string>& BitcoinSection::world_keys() const { return bitcoin_world_keys(); }
const std::vector<std::string>& BitcoinSection::facility_keys() const { return mining_facility_keys(); }

std::shared_ptr<const sim::SectionSpec> BitcoinSection::read(const sim::config::Document& doc, const YAML::Node& world,
                                                             const YAML::Node& facility,
                                                             const std::vector<sim::HallSpec>& halls,
                                                             const sim::config::BuildContext& ctx) const {
  auto spec = std::make_shared<BitcoinSectionSpec>();
  spec->world = read_bitcoin_world(doc, world, "world", ctx, catalogue_);
  std::map<std::string, double> hall_pue;
  for (const auto& h : halls) hall_pue.emplace(h.name, h.pue);
  spec->mining = read_mining_spec(doc, facility, "facility", hall_pue, ctx, catalogue_);
  return spec;
}

}  // namespace hybridsim::models::bitcoin
