#pragma once
/// BtcTreasury: what happens to mined BTC. A share k (`keep_share`) of every mined BTC is
/// kept; the rest is sold at once at the running price (it is cash through the revenue
/// accounts). Rules (`rule`):
///
/// - sell_all: k = 0, nothing is held;
/// - keep_share: a share k is kept for good;
/// - sell_to_cover: a share k is kept, and at every check (daily) when cash is below
///   `cash_floor_usd` enough held BTC is sold at the running price to bring it back (or all).
///
/// Accounts (treasury kind): `btc_kept` (outflow: the kept share of mining revenue, valued
/// at the running price, does not reach cash) and `btc_sold` (inflow). Series (not cash):
/// btc_held (BTC) and btc_held_value_usd = btc_held × price.
#include <string>

#include "models/bitcoin/bitcoin_world.hpp"
#include "sim/facility/facility_part.hpp"

namespace hybridsim::models::bitcoin {

struct TreasurySpec {
  std::string rule = "sell_all";
  double keep_share = 0.0;
  double cash_floor_usd = 0.0;
  sim::SimTime check_every_s = 86400;
};

/// Declared parameters of `facility.btc_treasury`.
const std::vector<sim::config::ParamSpec>& treasury_params();

class BtcTreasury {
 public:
  BtcTreasury(TreasurySpec spec, const BitcoinWorld& world) : spec_(std::move(spec)), world_(world) {}
  void start(sim::RunContext& ctx);
  /// Mining revenue accrues at `revenue_usd_per_s`: keeps its share.
  void update_rates(double revenue_usd_per_s);
  /// A lump of mining revenue (a solo block), USD at the running price.
  void on_lump(double revenue_usd);
  double held_btc() const { return kept_btc_->value() - sold_btc_; }
  double held_value_usd() const { return held_btc() * world_.state().btc_price_usd; }

 private:
  void check();

  TreasurySpec spec_;
  const BitcoinWorld& world_;
  sim::Engine* engine_ = nullptr;
  std::function<double()> cash_usd_;
  sim::Flow* kept_usd_ = nullptr;
  sim::Flow* kept_btc_ = nullptr;
  sim::Flow* sold_usd_ = nullptr;
  double sold_btc_ = 0.0;
};

}  // namespace hybridsim::models::bitcoin
