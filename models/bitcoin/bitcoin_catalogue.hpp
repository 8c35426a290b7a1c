#pragma once
/// The registries of the bitcoin-side model families.
#include "models/bitcoin/btc_price_model.hpp"
#include "models/bitcoin/fee_model.hpp"
#include "models/bitcoin/network_model.hpp"
#include "models/bitcoin/pool_payout.hpp"
#include "sim/config/registry.hpp"

namespace hybridsim::models::bitcoin {

struct BitcoinCatalogue {
  sim::config::Registry<BtcPriceModel> btc_price{"btc_price", "BTC/USD price path"};
  sim::config::Registry<NetworkModel> network{"network", "hashrate of the rest of the world"};
  sim::config::Registry<FeeModel> fees{"fees", "transaction fees per block"};
  sim::config::Registry<PoolPayout> pool{"pool", "how the facility's hashrate is paid"};
};

/// Registers every bitcoin-side model (one line per model, in register_bitcoin.cpp).
void register_bitcoin_models(BitcoinCatalogue& catalogue);

}  // namespace hybridsim::models::bitcoin
