#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "models/bitcoin/consensus.hpp"
#include "models/bitcoin/growth_network.hpp"
#include "models/bitcoin/hashrate_response_network.hpp"

using namespace hybridsim::models::bitcoin;
using hybridsim::sim::kSecondsPerDay;
using hybridsim::sim::kSecondsPerYear;
using hybridsim::sim::Rng;

TEST_CASE("growth network compounds continuously from the implied or given start") {
  GrowthNetwork implied(std::nullopt, 0.3);
  GrowthNetwork given(500e6, 0.3);
  CHECK(implied.initial_ths(600e6) == 600e6);
  CHECK(given.initial_ths(600e6) == 500e6);
  Rng rng(1);
  double h = 600e6;
  for (int k = 0; k < 4; ++k) h = implied.next_ths(h, NetworkStep{k * kSecondsPerYear / 4, kSecondsPerYear / 4}, rng);
  CHECK(h == Approx(600e6 * std::exp(0.3)).epsilon(1e-12));
}

TEST_CASE("hashrate response: the efficiency distribution passes through its quantiles") {
  HashrateResponseNetwork::Params q;
  HashrateResponseNetwork n(q);
  CHECK(n.legacy_share_at_most(17) == Approx(0.1).epsilon(1e-9));
  CHECK(n.legacy_share_at_most(25) == Approx(0.5).epsilon(1e-9));
  CHECK(n.legacy_share_at_most(35) == Approx(0.9).epsilon(1e-9));
  // $0.05/TH/day at $50/MWh and PUE 1.1 pays the power of machines up to 0.05 / (24e-6·55) J/TH.
  CHECK(n.breakeven_j_per_th(0.05) == Approx(0.05 / (24e-6 * 55)));
  q.efficiency_improvement_per_year = 0.2;
  HashrateResponseNetwork improving(q);
  CHECK(improving.new_machine_j_per_th(kSecondsPerYear) == Approx(17.5 * std::exp(-0.2)));
}

namespace {
// A toy world around the network model: price growing at `price_drift` a year, difficulty
// following hashrate every 14 days, the subsidy halving on day 200. Returns daily hashrate.
std::vector<double> halving_world(HashrateResponseNetwork& net, double price_drift, int days) {
  double price = 64'000;
  double h = net.initial_ths(600e6);
  double difficulty = h * 1e12 * 600 / kHashesPerDifficulty;
  Rng rng(1);
  std::vector<double> daily;
  for (int day = 0; day < days; ++day) {
    price *= std::exp(price_drift / 365.25);
    if (day % 14 == 0) difficulty = h * 1e12 * 600 / kHashesPerDifficulty;
    const double reward_btc = day < 200 ? 6.35 : 3.225;
    const double hashprice = hashprice_usd_per_th_day(reward_btc, price, difficulty);
    h = net.next_ths(h, NetworkStep{day * kSecondsPerDay, kSecondsPerDay, hashprice, price, difficulty}, rng);
    daily.push_back(h);
  }
  return daily;
}
}  // namespace

TEST_CASE("hashrate response: a halving gives a drop, then a recovery") {
  HashrateResponseNetwork::Params q;
  q.growth_per_year = 0.3;
  q.power_price_usd_per_mwh = 60;
  HashrateResponseNetwork rising(q), flat(q);
  const auto with_rally = halving_world(rising, 0.3, 600);
  const auto flat_price = halving_world(flat, 0.0, 950);
  for (const auto* daily : {&with_rally, &flat_price}) {
    const double before = (*daily)[199];
    const double low = *std::min_element(daily->begin() + 200, daily->begin() + 260);
    CHECK(before > (*daily)[100]);  // growing before the halving
    CHECK(low < 0.95 * before);     // the least efficient machines leave
    CHECK(low > 0.7 * before);
  }
  // Recovery: within a year with the price rising 30%/year, within ~2 years on a flat price.
  CHECK(with_rally[199 + 365] > with_rally[199]);
  CHECK(flat_price[199 + 365] < flat_price[199]);
  CHECK(flat_price[199 + 730] > flat_price[199]);
  // The flat-price drop is deeper, and installations slowed as trailing profitability fell.
  CHECK(*std::min_element(flat_price.begin() + 200, flat_price.begin() + 260) <
        *std::min_element(with_rally.begin() + 200, with_rally.begin() + 260));
  CHECK(flat.trailing_profitability() < 0.6);
}

TEST_CASE("hashrate response: with no change in hashprice, hashrate grows at g") {
  HashrateResponseNetwork::Params q;
  q.growth_per_year = 0.25;
  q.initial_ths = 100.0;
  HashrateResponseNetwork net(q);
  Rng rng(1);
  double h = net.initial_ths(1.0);
  CHECK(h == 100.0);
  for (int day = 0; day < 365; ++day) h = net.next_ths(h, NetworkStep{day * kSecondsPerDay, kSecondsPerDay, 0.1, 1, 1}, rng);
  // Online follows installed with a lag of ~τ = 14 days at 25%/year: within a few percent.
  CHECK(h == Approx(100.0 * std::exp(0.25 * 365 / 365.25)).epsilon(0.02));
  CHECK(net.installed_ths() > h);
}

TEST_CASE("hashrate response rejects quantiles out of order") {
  HashrateResponseNetwork::Params q;
  q.p10_j_per_th = 30;
  CHECK_THROWS(HashrateResponseNetwork(q));
}
