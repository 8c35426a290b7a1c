// The industry network model: running shares, the frontier, investment and a toy world over
// halvings and 30 years.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "models/bitcoin/consensus.hpp"
#include "models/bitcoin/industry_network.hpp"

using namespace hybridsim::models::bitcoin;
using hybridsim::sim::kSecondsPerDay;
using hybridsim::sim::kSecondsPerYear;
using hybridsim::sim::Rng;

namespace {

// A day's step; difficulty 0 (unknown) turns off the retarget foresight.
NetworkStep day_step(int day, double hashprice, double difficulty = 0.0) {
  return NetworkStep{day * kSecondsPerDay, kSecondsPerDay, hashprice, 60'000, difficulty};
}

// A toy world: price ×e^{drift} a year, difficulty set every 14 days to what the hashrate of
// the last day implies, the reward halving every `halving_days` (from 3.125 + 5% fees).
// Returns daily (hashrate, hashprice).
struct Day {
  double ths, hashprice;
};
std::vector<Day> toy_world(IndustryNetwork& net, double price_drift, int days, int first_halving_day, int halving_days) {
  double price = 64'000;
  double h = net.initial_ths(600e6);
  double difficulty = h * 1e12 * 600 / kHashesPerDifficulty;
  Rng rng(1);
  std::vector<Day> out;
  double reward_btc = 6.25 * 1.05;
  for (int day = 0; day < days; ++day) {
    price *= std::exp(price_drift / 365.25);
    if (day % 14 == 0) difficulty = h * 1e12 * 600 / kHashesPerDifficulty;
    if (day >= first_halving_day && (day - first_halving_day) % halving_days == 0) reward_btc /= 2;
    const double hashprice = hashprice_usd_per_th_day(reward_btc, price, difficulty);
    h = net.next_ths(h, day_step(day, hashprice, difficulty), rng);
    out.push_back({h, hashprice});
  }
  return out;
}

}  // namespace

TEST_CASE("industry: a machine runs while net hashprice covers its power", "[industry]") {
  IndustryNetwork::Params q;
  q.power_price_usd_per_mwh = 50;
  IndustryNetwork net(q);
  // 20 J/TH at 50 USD/MWh × 1.1: 20 · 50 · 1.1 · 24e-6 = 0.0264 USD per TH/s-day.
  CHECK(net.power_cost_usd_per_th_day(20) == Approx(0.0264));
  // At a net hashprice equal to that cost, half the miners (those below the median power price) run.
  CHECK(net.running_share(20, 0.0264 / 0.98) == Approx(0.5));
  // Twice the cost: Φ(ln 2 / 0.4) = Φ(1.733) = 0.9584.
  CHECK(net.running_share(20, 2 * 0.0264 / 0.98) == Approx(0.95844).epsilon(1e-4));
  CHECK(net.running_share(20, 0.0) == 0.0);
  CHECK(net.running_share(10, 0.03) > net.running_share(20, 0.03));
}

TEST_CASE("industry: the frontier improves toward its floor, machine prices fall", "[industry]") {
  IndustryNetwork::Params q;
  q.power_price_usd_per_mwh = 50;
  IndustryNetwork net(q);
  CHECK(net.frontier_j_per_th(0) == 17.5);
  // e_∞ + (e_0 − e_∞)e^{−0.2·10} = 5 + 12.5 · 0.135335 = 6.6917.
  CHECK(net.frontier_j_per_th(10 * kSecondsPerYear) == Approx(6.69169).epsilon(1e-5));
  CHECK(net.frontier_j_per_th(100 * kSecondsPerYear) == Approx(5.0).epsilon(1e-6));
  // A constant price per watt: 15 USD/TH at 17.5 J/TH, 15 · 6.69169 / 17.5 ten years on.
  CHECK(net.machine_price_usd_per_th(10 * kSecondsPerYear) == Approx(15 * 6.69169 / 17.5).epsilon(1e-5));
  // A new machine at hashprice 0.05: (0.049 − 0.0231) · 365 / 15 = 0.63 a year.
  CHECK(net.new_machine_return_per_year(0.05, 0) == Approx((0.049 - 17.5 * 50 * 1.1 * 24e-6) * 365 / 15));
}

TEST_CASE("industry: orders only above the hurdle, saturating at the supply limit", "[industry]") {
  IndustryNetwork::Params q;
  IndustryNetwork net(q);
  CHECK(net.order_growth_per_year(0.0) == 0.0);
  CHECK(net.order_growth_per_year(0.3) == 0.0);
  // Just above the hurdle the slope is κ; far above, γ_max.
  CHECK(net.order_growth_per_year(0.31) == Approx(0.7 * -std::expm1(-1.0 * 0.01 / 0.7)));
  CHECK(net.order_growth_per_year(0.31) == Approx(0.01).epsilon(1e-2));
  CHECK(net.order_growth_per_year(100.0) == Approx(0.7));
}

TEST_CASE("industry: the fleet starts at the given hashrate, and holds it without orders or wear", "[industry]") {
  IndustryNetwork::Params q;
  q.initial_ths = 600e6;
  q.hurdle_return_per_year = 1e6;  // nothing is ever worth buying
  q.wear_retirement_per_year = 0;
  IndustryNetwork net(q);
  Rng rng(1);
  double h = net.initial_ths(1.0);
  CHECK(h == 600e6);
  for (int day = 0; day < 100; ++day) h = net.next_ths(h, day_step(day, 0.05), rng);
  CHECK(net.on_order_ths() == 0.0);
  // Idle machines are scrapped, but what runs stays (the target never moves).
  CHECK(h == Approx(600e6).epsilon(1e-9));
  CHECK(net.installed_ths() >= h);
}

TEST_CASE("industry: a halving gives a drop, then a recovery", "[industry]") {
  IndustryNetwork::Params q;
  IndustryNetwork flat(q), rally(q);
  const auto f = toy_world(flat, 0.0, 900, 200, 100'000);
  const auto r = toy_world(rally, 0.4, 900, 200, 100'000);
  for (const auto* w : {&f, &r}) {
    const double before = (*w)[199].ths;
    double low = before;
    for (int d = 200; d < 260; ++d) low = std::min(low, (*w)[d].ths);
    CHECK(low < 0.97 * before);  // marginal machines leave
    CHECK(low > 0.6 * before);   // not a collapse
  }
  // With the price rising 40% a year the network is back above its pre-halving level within a year.
  CHECK(r[199 + 365].ths > r[199].ths);
  // On a flat price it comes back more slowly, and lower.
  CHECK(f[199 + 365].ths < r[199 + 365].ths);
}

TEST_CASE("industry: over 30 years of halvings the network neither collapses nor explodes", "[industry]") {
  IndustryNetwork::Params q;
  for (const double drift : {0.0, 0.15, 0.3}) {
    INFO("price drift " << drift);
    IndustryNetwork net(q);
    const int days = 30 * 365;
    const auto w = toy_world(net, drift, days, 1400, 1461);
    // Economic bounds, on yearly means of hashprice h (net of the pool fee) from year 2 on:
    // some machine pays its power: h above the power cost of a frontier machine at the
    // 10th-percentile power price (Φ⁻¹(0.1) = −1.2816); and new machines do not return more
    // than 300% a year for a year on end: h below the frontier's power cost plus 3·P/365.
    for (int year = 1; year < 30; ++year) {
      INFO("year " << year);
      double mean = 0;
      for (int d = year * 365; d < (year + 1) * 365; ++d) mean += w[d].hashprice * 0.98 / 365;
      const auto t_s = static_cast<std::int64_t>(year + 0.5) * kSecondsPerYear;
      const double frontier_cost = net.power_cost_usd_per_th_day(net.frontier_j_per_th(t_s));
      CHECK(mean > frontier_cost * std::exp(-1.2816 * q.power_price_spread));
      CHECK(mean < frontier_cost + 3.0 * net.machine_price_usd_per_th(t_s) / 365);
    }
    CHECK(w.back().ths > 1e6);  // above 1 EH/s
  }
}

TEST_CASE("industry: miners decide on the hashprice of the difficulty their hashrate implies", "[industry]") {
  IndustryNetwork::Params q;
  q.initial_ths = 600e6;
  q.retarget_foresight = 0.5;
  IndustryNetwork net(q);
  Rng rng(1);
  // Before the first step there is no trailing hashrate: ĥ = h.
  CHECK(net.anticipated_hashprice(0.05, 1e14) == 0.05);
  // The first step's hashrate seeds H̄ = 600 EH/s, so D̂ = 600e18 · 600 / 2^32.
  net.next_ths(600e6, day_step(0, 0.05, 1e14), rng);
  const double d_hat = 600e18 * 600 / kHashesPerDifficulty;  // 8.3819e13
  CHECK(net.anticipated_hashprice(0.05, 1e14) == Approx(0.05 * std::sqrt(1e14 / d_hat)));
  CHECK(net.anticipated_hashprice(0.05, d_hat) == Approx(0.05));
  // Difficulty unknown (0): no foresight.
  CHECK(net.anticipated_hashprice(0.05, 0.0) == 0.05);
  q.retarget_foresight = 1.5;
  CHECK_THROWS(IndustryNetwork(q));
}

TEST_CASE("industry: with the whole fleet at its margin, the retarget stays stable only with foresight", "[industry]") {
  // A price falling 15% a year with no halvings leaves every vintage at its margin: nothing is
  // worth buying, and the network lives on the cheap-power tails, where the hashrate's
  // elasticity to hashprice is several times 1. The toy world's retarget (every 14 days, to
  // the last day's hashrate) then swings between high and low windows without foresight; with
  // it, consecutive windows' hashprices stay within a few percent.
  auto worst_swing = [](double foresight) {
    IndustryNetwork::Params q;
    q.retarget_foresight = foresight;
    IndustryNetwork net(q);
    const auto w = toy_world(net, -0.15, 20 * 365, 100'000, 100'000);
    double worst = 0;
    for (int d = 15 * 365; d + 14 < 20 * 365; d += 14) worst = std::max(worst, std::abs(std::log(w[d + 14].hashprice / w[d].hashprice)));
    return worst;
  };
  const double without = worst_swing(0.0), with = worst_swing(1.0);
  // Measured: 0.17 (hashprice ×1.19 or ÷1.19 from one window to the next) and 0.0014.
  CHECK(without > 0.1);
  CHECK(with < 0.02);
}

TEST_CASE("industry rejects inconsistent parameters", "[industry]") {
  IndustryNetwork::Params q;
  q.p10_j_per_th = 30;
  CHECK_THROWS(IndustryNetwork(q));
  q = {};
  q.frontier_floor_j_per_th = 20;
  CHECK_THROWS(IndustryNetwork(q));
  q = {};
  q.pool_fee = 1;
  CHECK_THROWS(IndustryNetwork(q));
}
