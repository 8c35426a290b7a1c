#include "models/bitcoin/mining_fleet.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace hybridsim::models::bitcoin {

using sim::config::ParamSpec;

const std::vector<ParamSpec>& asic_cohort_params() {
  static const std::vector<ParamSpec> specs{
      ParamSpec::string("model", "machine model, e.g. Antminer S21"),
      ParamSpec::integer("count", "machines", "number of machines").at_least(0),
      ParamSpec::number("hashrate_ths", "TH/s", "hashrate of one machine").above(0),
      ParamSpec::number("power_w", "W", "power of one machine at the wall").above(0),
      ParamSpec::string("hall", "the hall it stands in (its PUE applies)"),
      ParamSpec::number("price_usd", "USD", "purchase price of one machine").at_least(0).defaults(0.0),
      ParamSpec::number("failure_rate_per_year", "1/year", "failures per machine-year").at_least(0).defaults(0.0),
      ParamSpec::duration("repair", "time to bring a failed machine back").defaults("7d"),
  };
  return specs;
}

const std::vector<ParamSpec>& mining_params() {
  static const std::vector<ParamSpec> specs{
      ParamSpec::boolean("shutoff", "switch cohorts off while their power costs more than hashprice")
          .defaults("true"),
      ParamSpec::number("shutoff_margin", "", "hysteresis: stop below c·(1−m), restart above c·(1+m)")
          .defaults(0.0).at_least(0).at_most(0.9),
      ParamSpec::duration("ramp", "time for a full stop or start of a cohort").defaults("1d"),
      ParamSpec::duration("decision_step", "how often the fleet reconsiders what runs").defaults("1h"),
  };
  return specs;
}

const std::vector<std::string>& mining_facility_keys() {
  static const std::vector<std::string> keys{"asic_cohorts", "pool", "mining"};
  return keys;
}

std::shared_ptr<const MiningSpec> read_mining_spec(const sim::config::Document& doc, const YAML::Node& facility,
                                                   const std::string& path,
                                                   const std::map<std::string, double>& hall_pue,
                                                   const sim::config::BuildContext& ctx,
                                                   const BitcoinCatalogue& catalogue) {
  const YAML::Node cohorts = facility["asic_cohorts"];
  if (!cohorts.IsDefined() || cohorts.IsNull()) return nullptr;
  if (!cohorts.IsSequence())
    throw sim::config::ScenarioError(doc.locate(cohorts), path + ".asic_cohorts: expected a list of cohorts, got " +
                                                              sim::config::describe(cohorts));
  auto spec = std::make_shared<MiningSpec>();
  for (std::size_t i = 0; i < cohorts.size(); ++i) {
    const std::string at = path + ".asic_cohorts[" + std::to_string(i) + "]";
    const auto p = sim::config::read_params(doc, cohorts[i], at, asic_cohort_params(), ctx);
    AsicCohortSpec c;
    c.model = p.string("model");
    c.count = p.integer("count");
    c.hashrate_ths = p.number("hashrate_ths");
    c.power_w = p.number("power_w");
    c.price_usd = p.number("price_usd");
    c.failure_rate_per_year = p.number("failure_rate_per_year");
    c.repair_s = p.duration_s("repair");
    const auto hall = hall_pue.find(p.string("hall"));
    if (hall == hall_pue.end()) {
      std::vector<std::string> names;
      for (const auto& [name, pue] : hall_pue) names.push_back(name);
      p.fail("hall", "unknown hall '" + p.string("hall") + "'; halls: " + sim::config::join(names));
    }
    c.pue = hall->second;
    spec->cohorts.push_back(c);
  }
  const YAML::Node pool = facility["pool"];
  if (!pool.IsDefined() || pool.IsNull())
    throw sim::config::ScenarioError(doc.locate(facility), path + ": missing required key 'pool' (valid models: " +
                                                               sim::config::join(catalogue.pool.names()) + ")");
  spec->pool = sim::config::read_model(doc, pool, path + ".pool", catalogue.pool, ctx);
  // An absent `mining` map is an empty one; it is added so the resolved scenario shows the defaults.
  YAML::Node writable = facility;
  if (!facility["mining"].IsDefined() || facility["mining"].IsNull())
    writable["mining"] = YAML::Node(YAML::NodeType::Map);
  const YAML::Node mining = writable["mining"];
  const auto m = sim::config::read_params(doc, mining, path + ".mining", mining_params(), ctx);
  spec->shutoff = m.boolean("shutoff");
  spec->shutoff_margin = m.number("shutoff_margin");
  spec->ramp_s = m.duration_s("ramp");
  spec->decision_step_s = m.duration_s("decision_step");
  return spec;
}

MiningFleet::MiningFleet(std::shared_ptr<const MiningSpec> spec, BitcoinWorld& world)
    : spec_(std::move(spec)), world_(world), pool_(spec_->pool.make()) {
  for (const auto& c : spec_->cohorts) cohorts_.push_back(Cohort{&c});
  for (std::size_t i = 0; i < cohorts_.size(); ++i) by_efficiency_.push_back(i);
  std::stable_sort(by_efficiency_.begin(), by_efficiency_.end(), [&](std::size_t a, std::size_t b) {
    const auto& x = spec_->cohorts[a];
    const auto& y = spec_->cohorts[b];
    return x.power_w * x.pue / x.hashrate_ths < y.power_w * y.pue / y.hashrate_ths;
  });
  power_limit_mw_ = max_grid_power_mw();
}

double MiningFleet::max_grid_power_mw() const {
  double mw = 0.0;
  for (const auto& c : spec_->cohorts) mw += static_cast<double>(c.count) * c.power_w * c.pue / 1e6;
  return mw;
}

void MiningFleet::set_power_limit_mw(double limit_mw) {
  power_limit_mw_ = std::max(0.0, limit_mw);
  if (engine_) dispatch();
}

double MiningFleet::cost_usd_per_th_day(const AsicCohortSpec& c) const {
  // W/(TH/s) × 24 h = Wh per TH/s-day; × PUE; × USD/MWh / 10^6 = USD per TH/s-day.
  return c.power_w / c.hashrate_ths * 24.0 * c.pue * state_->power_price_usd_per_mwh / 1e6;
}

void MiningFleet::start(sim::RunContext& ctx) {
  engine_ = &ctx.engine;
  horizon_s_ = ctx.build.horizon_s;
  state_ = &ctx.world;
  pool_rng_ = ctx.rng.stream("pool");
  failure_rng_ = ctx.rng.stream("asic_failures");
  revenue_btc_ = &ctx.ledger.flow();
  revenue_usd_ = &ctx.ledger.flow();
  cash_usd_ = &ctx.cash_usd;
  for (auto& c : cohorts_) {
    // Machines that are installed start running unless they are already below the band.
    c.wanted = !spec_->shutoff || state_->hashprice_usd_per_th_day >= cost_usd_per_th_day(*c.spec) * (1 - spec_->shutoff_margin);
    c.wanted_fraction = c.wanted ? 1.0 : 0.0;
  }
  dispatch();
  for (std::size_t i = 0; i < cohorts_.size(); ++i) schedule_failure(i);
  ctx.engine.every(spec_->decision_step_s, spec_->decision_step_s, [this] { decide(); }, sim::priority::kDecision);

  auto& rec = ctx.recorder;
  rec.stock({"facility_hashrate_ths", "TH/s", "hashrate of the facility's running machines"},
            [this] { return hashrate_ths_; });
  rec.stock({"asic_power_mw", "MW", "grid power of the ASIC fleet, cooling included"},
            [this] { return grid_power_mw_; });
  rec.flow({"mining_revenue_btc", "BTC", "mining revenue (pool payouts)"}, *revenue_btc_);
  rec.flow({"mining_revenue_usd", "USD", "mining revenue, sold at the current price"}, *revenue_usd_);
  for (std::size_t i = 0; i < cohorts_.size(); ++i) {
    std::string name = "asic_running_" + std::to_string(i);
    rec.stock_int({name, "1", "machines running in cohort " + std::to_string(i) + " (" + cohorts_[i].spec->model + ")"},
                  [this, i] { return cohorts_[i].running; });
  }
}

void MiningFleet::decide() {
  if (spec_->shutoff) {
    const double step = spec_->ramp_s > 0 ? static_cast<double>(spec_->decision_step_s) / static_cast<double>(spec_->ramp_s)
                                          : 1.0;
    const double hashprice = state_->hashprice_usd_per_th_day;
    const double m = spec_->shutoff_margin;
    for (auto& c : cohorts_) {
      // With a margin, a cohort changes its mind only once hashprice leaves the band around
      // its cost, so it does not flicker on and off while hashprice hovers at break-even.
      const double cost = cost_usd_per_th_day(*c.spec);
      if (c.wanted && hashprice < cost * (1 - m)) c.wanted = false;
      if (!c.wanted && hashprice >= cost * (1 + m)) c.wanted = true;
      const double target = c.wanted ? 1.0 : 0.0;
      c.wanted_fraction = target > c.wanted_fraction ? std::min(target, c.wanted_fraction + step)
                                                     : std::max(target, c.wanted_fraction - step);
    }
  }
  dispatch();
}

void MiningFleet::dispatch() {
  double left_mw = power_limit_mw_;
  double ths = 0.0, mw = 0.0;
  for (std::size_t i : by_efficiency_) {
    Cohort& c = cohorts_[i];
    const auto& s = *c.spec;
    const std::int64_t available = s.count - c.failed;
    auto wanted = static_cast<std::int64_t>(std::floor(c.wanted_fraction * static_cast<double>(available) + 1e-9));
    const double unit_mw = s.power_w * s.pue / 1e6;
    const auto fits = static_cast<std::int64_t>(std::floor(std::max(0.0, left_mw) / unit_mw + 1e-9));
    c.running = std::min(wanted, fits);
    left_mw -= static_cast<double>(c.running) * unit_mw;
    ths += static_cast<double>(c.running) * s.hashrate_ths;
    mw += static_cast<double>(c.running) * unit_mw;
  }
  hashrate_ths_ = ths;
  grid_power_mw_ = mw;
  world_.set_facility_hashrate_ths(ths);
}

void MiningFleet::schedule_failure(std::size_t i) {
  Cohort& c = cohorts_[i];
  engine_->cancel(c.next_failure);
  const double rate_per_s = static_cast<double>(c.spec->count - c.failed) * c.spec->failure_rate_per_year /
                            static_cast<double>(sim::kSecondsPerYear);
  if (!(rate_per_s > 0)) return;
  std::exponential_distribution<double> wait(rate_per_s);
  const double at = static_cast<double>(engine_->now()) + std::ceil(wait(failure_rng_));
  if (at > static_cast<double>(horizon_s_)) return;  // no failure within the run
  c.next_failure = engine_->at(static_cast<sim::SimTime>(at), [this, i] { fail(i); });
}

void MiningFleet::fail(std::size_t i) {
  Cohort& c = cohorts_[i];
  c.next_failure = sim::EventId{};
  ++c.failed;
  if (engine_->now() + c.spec->repair_s <= horizon_s_)  // otherwise it stays down for the rest of the run
    engine_->after(c.spec->repair_s, [this, i] {
      --cohorts_[i].failed;
      schedule_failure(i);
      dispatch();
    });
  schedule_failure(i);
  dispatch();
}

PayoutState MiningFleet::payout_state() const {
  PayoutState s;
  s.facility_hashrate_ths = hashrate_ths_;
  s.network_hashrate_ths = state_->network_hashrate_ths + hashrate_ths_;
  s.expected_hashes_per_block = state_->difficulty * kHashesPerDifficulty;
  s.subsidy_sat = state_->subsidy_sat;
  s.expected_fees_sat = state_->expected_fees_sat;
  return s;
}

void MiningFleet::update_rates(const sim::WorldState& world) {
  const double btc_per_s = pool_->accrual_btc_per_s(payout_state());
  revenue_btc_->rate_per_s = btc_per_s;
  revenue_usd_->rate_per_s = btc_per_s * world.btc_price_usd;
}

void MiningFleet::on_block(const BlockFound& block) {
  if (!engine_) return;
  PayoutState s = payout_state();
  s.subsidy_sat = block.subsidy_sat;
  const std::int64_t sat = pool_->on_block_sat(s, block.subsidy_sat, block.fees_sat, pool_rng_);
  if (sat == 0) return;
  const double btc = static_cast<double>(sat) / kCoinSat;
  revenue_btc_->add(btc);
  revenue_usd_->add(btc * state_->btc_price_usd);
  cash_usd_->add(btc * state_->btc_price_usd);
}

}  // namespace hybridsim::models::bitcoin
