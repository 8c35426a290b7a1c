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

std::vector<std::string> BitcoinSectionSpec::signals() const {
  return {"btc_price_usd", "hashprice_usd_per_th_day", "net_hashprice_usd_per_th_day"};
}

BitcoinPart::BitcoinPart(const BitcoinSectionSpec& spec) : world_(spec.world, state_) {
  if (spec.mining) {
    fleet_ = std::make_unique<MiningFleet>(spec.mining, world_);
    capital_ = std::make_unique<AsicCapital>(*fleet_, spec.mining->resale_margin_days);
    treasury_ = std::make_unique<BtcTreasury>(spec.treasury, world_);
  }
}

void BitcoinPart::start(sim::RunContext& ctx) {
  world_.start(ctx, [this](const BlockFound& b) {
    issued_sat_ += b.subsidy_sat + b.fees_sat;
    if (!fleet_) return;
    // A payout in whole blocks (solo) is a lump: the treasury keeps or sells its share.
    const double paid_usd = fleet_->on_block(b);
    if (paid_usd != 0.0) treasury_->on_lump(paid_usd);
  });
  if (fleet_) {
    fleet_->start(ctx);
    capital_->start(ctx);
    treasury_->start(ctx);
  }
}

void BitcoinPart::remove_capacity(const std::string& hall, double grid_mw) {
  if (capital_) capital_->remove_capacity(hall, grid_mw);
}

std::optional<double> BitcoinPart::signal(const std::string& name) const {
  if (name == "btc_price_usd") return state_.btc_price_usd;
  if (name == "hashprice_usd_per_th_day") return state_.hashprice_usd_per_th_day;
  if (name == "net_hashprice_usd_per_th_day" && fleet_) return fleet_->net_hashprice_usd_per_th_day();
  return std::nullopt;
}

std::vector<sim::PowerConsumer*> BitcoinPart::consumers() {
  return fleet_ ? fleet_->consumers() : std::vector<sim::PowerConsumer*>{};
}

void BitcoinPart::update_rates(const sim::WorldState& world) {
  if (!fleet_) return;
  fleet_->update_rates(world);
  capital_->update_rates();
  treasury_->update_rates(fleet_->revenue_usd_per_s());
}

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
  out.push_back({"mining_paid_sat", fleet_ ? static_cast<double>(fleet_->paid_sat_total()) : 0.0, "sat",
                 "BTC paid in whole blocks (solo), summed in integer satoshis"});
  out.push_back({"mining_revenue_usd", fleet_ ? fleet_->revenue_usd_total() : 0.0, "USD",
                 "mining revenue valued at the running price"});
  out.push_back({"btc_held", treasury_ ? treasury_->held_btc() : 0.0, "BTC", "BTC held in the treasury at the horizon"});
  out.push_back({"btc_held_value_usd", treasury_ ? treasury_->held_value_usd() : 0.0, "USD",
                 "market value of the BTC held at the horizon"});
}

const std::vector<std::string>& BitcoinSection::world_keys() const { return bitcoin_world_keys(); }
const std::vector<std::string>& BitcoinSection::facility_keys() const {
  static const std::vector<std::string> keys = [] {
    auto k = mining_facility_keys();
    k.push_back("btc_treasury");
    return k;
  }();
  return keys;
}

std::shared_ptr<const sim::SectionSpec> BitcoinSection::read(const sim::config::Document& doc, const YAML::Node& world,
                                                             const YAML::Node& facility,
                                                             const std::vector<sim::HallSpec>& halls,
                                                             const sim::config::BuildContext& ctx) const {
  auto spec = std::make_shared<BitcoinSectionSpec>();
  std::map<std::string, double> hall_pue;
  for (const auto& h : halls) hall_pue.emplace(h.name, h.pue);
  spec->mining = read_mining_spec(doc, facility, "facility", hall_pue, ctx, catalogue_);
  // A site without ASICs (an AI-only site) needs no chain: with none of the world's bitcoin
  // keys there is no bitcoin section at all. Give any of them and all are required.
  bool any_world_key = false;
  for (const auto& key : bitcoin_world_keys()) {
    const YAML::Node n = world[key];
    any_world_key = any_world_key || (n.IsDefined() && !n.IsNull());
  }
  if (!spec->mining && !any_world_key) return nullptr;
  spec->world = read_bitcoin_world(doc, world, "world", ctx, catalogue_);
  const YAML::Node treasury = facility["btc_treasury"];
  if (treasury.IsDefined() && !treasury.IsNull()) {
    const auto p = sim::config::read_params(doc, treasury, "facility.btc_treasury", treasury_params(), ctx);
    spec->treasury.rule = p.string("rule");
    spec->treasury.keep_share = p.number("keep_share");
    spec->treasury.cash_floor_usd = p.number("cash_floor_usd");
    spec->treasury.check_every_s = p.duration_s("check_every");
  }
  return spec;
}

}  // namespace hybridsim::models::bitcoin
