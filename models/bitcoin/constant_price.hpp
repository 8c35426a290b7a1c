#pragma once
#include "models/bitcoin/btc_price_model.hpp"

namespace hybridsim::models::bitcoin {

/// A constant BTC price: S(t) = initial_usd for the whole run. Draws nothing.
class ConstantPrice final : public BtcPriceModel {
 public:
  /// `initial_usd` > 0.
  explicit ConstantPrice(double initial_usd);
  double initial_usd() const override { return initial_usd_; }
  double next_usd(double price_usd, const PriceStep& step, sim::Rng& rng) override;

 private:
  double initial_usd_;
};

}  // namespace hybridsim::models::bitcoin
