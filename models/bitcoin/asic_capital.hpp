#pragma once
/// AsicCapital: what the ASIC fleet costs and is worth, beside what it earns.
///
/// - Purchase: a cohort's count × price_usd is paid when it arrives (`arrives`, default the
///   start), on the account `asic_capex` (capital, outflow).
/// - Depreciation (not cash): straight line over `depreciation_years` from arrival, on the
///   machines still in place: rate = installed × price / life while the cohort is younger than
///   its life (sim/finance/straight_line.hpp). Machines that leave early stop depreciating.
/// - Resale: machines that retire (`retires` or `life_years`) or leave a converted hall sell
///   for, per machine,
///
///     resale = min(price, max(0, m) × D),   m = TH/s × h_net − W × PUE × 24 / 10^6 × p
///
///   with h_net the net hashprice (USD per TH/s per day), p the power price (USD/MWh) and D
///   `resale_margin_days`: a buyer pays D days of the margin the machine earns at today's
///   hashprice and power price, so efficient machines in good times sell well and an
///   unprofitable machine is scrap (0). An assumption in the spirit of the ASIC price indices
///   that track hashprice (e.g. Hashrate Index's ASIC price index, in USD per TH/s, moves with
///   hashprice), not a fitted model. Paid on the account `asic_resale` (capital, inflow).
/// - A conversion takes out machines whose nameplate covers the converted MW from the hall,
///   least efficient (highest J/TH) first, and sells them as above.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/bitcoin/mining_fleet.hpp"
#include "sim/facility/facility_part.hpp"

namespace hybridsim::models::bitcoin {

class AsicCapital {
 public:
  AsicCapital(MiningFleet& fleet, double resale_margin_days) : fleet_(fleet), resale_margin_days_(resale_margin_days) {}
  /// Opens the accounts, pays the cohorts present at the start, schedules arrivals and retirements.
  void start(sim::RunContext& ctx);
  /// Sets the depreciation rate for now.
  void update_rates();
  /// A conversion takes `grid_mw` of hall `hall`: machines leave, least efficient first.
  void remove_capacity(const std::string& hall, double grid_mw);
  /// Resale value of one machine of cohort i now, USD.
  double resale_usd(std::size_t cohort) const;
  /// Changes whenever the depreciation rate may have changed.
  std::uint64_t version() const { return version_; }
  const sim::Flow& capex() const { return *capex_; }
  const sim::Flow& resale() const { return *resale_; }
  const sim::Flow& depreciation() const { return *depreciation_; }

 private:
  void arrive(std::size_t i);
  void sell(std::size_t i, std::int64_t machines);

  MiningFleet& fleet_;
  double resale_margin_days_;
  sim::Engine* engine_ = nullptr;
  const sim::WorldState* world_ = nullptr;
  std::uint64_t version_ = 0;
  std::uint64_t rated_version_ = ~std::uint64_t{0};  // the version the depreciation rate was set at
  sim::Flow* capex_ = nullptr;
  sim::Flow* resale_ = nullptr;
  sim::Flow* depreciation_ = nullptr;
};

}  // namespace hybridsim::models::bitcoin
