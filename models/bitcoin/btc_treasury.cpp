#include "models/bitcoin/btc_treasury.hpp"

#include <algorithm>

namespace hybridsim::models::bitcoin {

using sim::config::ParamSpec;

const std::vector<ParamSpec>& treasury_params() {
  static const std::vector<ParamSpec> specs{
      ParamSpec::string("rule", "sell_all, keep_share, or sell_to_cover (keep a share, sell held BTC when cash is low)")
          .one_of({"sell_all", "keep_share", "sell_to_cover"})
          .defaults("sell_all"),
      ParamSpec::number("keep_share", "", "share of mined BTC kept (keep_share, sell_to_cover)").at_least(0).at_most(1).defaults(0.0),
      ParamSpec::number("cash_floor_usd", "USD", "sell_to_cover: sell held BTC while cash is below this").defaults(0.0),
      ParamSpec::duration("check_every", "sell_to_cover: interval of the cash checks").defaults("1d"),
  };
  return specs;
}

void BtcTreasury::start(sim::RunContext& ctx) {
  engine_ = &ctx.engine;
  cash_usd_ = ctx.cash_usd;
  kept_usd_ = &ctx.ledger.account("btc_kept", sim::AccountKind::kTreasury, sim::CashSign::kOut);
  sold_usd_ = &ctx.ledger.account("btc_sold", sim::AccountKind::kTreasury, sim::CashSign::kIn);
  kept_btc_ = &ctx.ledger.flow();
  if (spec_.rule == "sell_to_cover")
    ctx.engine.every(spec_.check_every_s, spec_.check_every_s, [this] { check(); }, sim::priority::kFacility);
  auto& rec = ctx.recorder;
  rec.flow({"btc_kept_usd", "USD", "mined BTC kept in the treasury, at the running price"}, *kept_usd_);
  rec.flow({"btc_sold_usd", "USD", "BTC sold from the treasury"}, *sold_usd_);
  rec.stock({"btc_held", "BTC", "BTC held in the treasury (not cash)"}, [this] { return held_btc(); });
  rec.stock({"btc_held_value_usd", "USD", "market value of the BTC held (not cash)"}, [this] { return held_value_usd(); });
}

namespace {
double keep_of(const TreasurySpec& s) { return s.rule == "sell_all" ? 0.0 : s.keep_share; }
}  // namespace

void BtcTreasury::update_rates(double revenue_usd_per_s) {
  const double price = world_.state().btc_price_usd;
  kept_usd_->rate_per_s = keep_of(spec_) * revenue_usd_per_s;
  kept_btc_->rate_per_s = price > 0 ? kept_usd_->rate_per_s / price : 0.0;
}

void BtcTreasury::on_lump(double revenue_usd) {
  const double price = world_.state().btc_price_usd;
  const double kept = keep_of(spec_) * revenue_usd;
  kept_usd_->add(kept);
  if (price > 0) kept_btc_->add(kept / price);
}

void BtcTreasury::check() {
  const double short_usd = spec_.cash_floor_usd - cash_usd_();
  const double price = world_.state().btc_price_usd;
  if (!(short_usd > 0) || !(price > 0)) return;
  const double btc = std::min(held_btc(), short_usd / price);
  if (btc <= 0) return;
  sold_btc_ += btc;
  sold_usd_->add(btc * price);
}

}  // namespace hybridsim::models::bitcoin
