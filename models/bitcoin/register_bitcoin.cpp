#include <memory>
#include <optional>

#include "models/bitcoin/bitcoin_catalogue.hpp"
#include "models/bitcoin/constant_fees.hpp"
#include "models/bitcoin/constant_price.hpp"
#include "models/bitcoin/fpps_payout.hpp"
#include "models/bitcoin/gbm_price.hpp"
#include "models/bitcoin/growth_network.hpp"
#include "models/bitcoin/share_of_subsidy_fees.hpp"
#include "models/bitcoin/solo_payout.hpp"

namespace hybridsim::models::bitcoin {

using sim::config::ParamSpec;
using sim::config::Params;

namespace {

void register_prices(sim::config::Registry<BtcPriceModel>& r) {
  r.add({"constant", "a constant price: S(t) = initial_usd",
         {ParamSpec::number("initial_usd", "USD", "BTC price for the whole run").above(0)}},
        [](const Params& p) { return std::make_unique<ConstantPrice>(p.number("initial_usd")); });
  r.add({"gbm", "geometric Brownian motion, exact step: S·exp((μ−σ²/2)Δt + σ√Δt·Z)",
         {ParamSpec::number("initial_usd", "USD", "price at the start").above(0),
          ParamSpec::number("drift_per_year", "1/year", "μ: expected log-growth plus σ²/2 (E[S(t)] = S0·e^{μt})").defaults(0.0),
          ParamSpec::number("vol_per_year", "1/sqrt(year)", "σ: annualised volatility of log returns").at_least(0)}},
        [](const Params& p) {
          return std::make_unique<GbmPrice>(p.number("initial_usd"), p.number("drift_per_year"), p.number("vol_per_year"));
        });
}

void register_networks(sim::config::Registry<NetworkModel>& r) {
  r.add({"growth", "rest-of-world hashrate growing continuously: H(t+Δ) = H(t)·exp(g·Δ)",
         {ParamSpec::number("initial_ths", "TH/s", "hashrate at the start; default: what the start difficulty implies (D·2^32/600)")
              .above(0)
              .optional(),
          ParamSpec::number("growth_per_year", "1/year", "g: continuous growth rate (0.3 = ×1.35 a year)")}},
        [](const Params& p) {
          const std::optional<double> initial = p.has("initial_ths") ? std::optional(p.number("initial_ths")) : std::nullopt;
          return std::make_unique<GrowthNetwork>(initial, p.number("growth_per_year"));
        });
}

void register_fees(sim::config::Registry<FeeModel>& r) {
  r.add({"constant", "the same fees in every block",
         {ParamSpec::number("btc_per_block", "BTC", "fees per block").at_least(0)}},
        [](const Params& p) { return std::make_unique<ConstantFees>(p.number("btc_per_block")); });
  r.add({"share_of_subsidy", "fees as a share of the block subsidy: F = share·subsidy",
         {ParamSpec::number("share", "", "fees / subsidy (0.05 = fees worth 5% of the subsidy)").at_least(0)}},
        [](const Params& p) { return std::make_unique<ShareOfSubsidyFees>(p.number("share")); });
}

void register_pools(sim::config::Registry<PoolPayout>& r) {
  r.add({"fpps", "full pay-per-share: expected value of the hashes, paid continuously, less the pool fee",
         {ParamSpec::number("fee", "", "pool fee as a fraction of the reward").defaults(0.02).at_least(0).at_most(1)}},
        [](const Params& p) {
          if (p.number("fee") >= 1) p.fail("fee", "must be below 1 (a pool that keeps everything pays nothing)");
          return std::make_unique<FppsPayout>(p.number("fee"));
        });
  r.add({"solo", "solo mining: the whole block reward when the facility finds a block (probability = its hashrate share)", {}},
        [](const Params&) { return std::make_unique<SoloPayout>(); });
}

}  // namespace

void register_bitcoin_models(BitcoinCatalogue& c) {
  register_prices(c.btc_price);
  register_networks(c.network);
  register_fees(c.fees);
  register_pools(c.pool);
}

}  // namespace hybridsim::models::bitcoin
