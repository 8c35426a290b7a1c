#include "models/bitcoin/mining_fleet.hpp"

#include <span>

#include <algorithm>
#include <cmath>
#include "sim/config/count_or_power.hpp"
#include "sim/core/portable_random.hpp"

namespace hybridsim::models::bitcoin {

using sim::config::ParamSpec;

const std::vector<ParamSpec>& asic_cohort_params() {
  static const std::vector<ParamSpec> specs{
      ParamSpec::string("model", "machine model, e.g. Antminer S21"),
      ParamSpec::string("name", "unique name of the cohort (default: its model)").optional(),
      ParamSpec::integer("count", "machines", "number of machines (or give power_mw)").at_least(0).at_most(1e8).optional(),
      ParamSpec::number("power_mw", "MW",
                        "instead of count: the cohort's nameplate, count = floor(power_mw · 10^6 / power_w) "
                        "(written as count in the resolved scenario)")
          .above(0)
          .optional(),
      ParamSpec::number("hashrate_ths", "TH/s", "hashrate of one machine").above(0),
      ParamSpec::number("power_w", "W", "power of one machine at the wall").above(0),
      ParamSpec::string("hall", "the hall it stands in (its PUE applies)"),
      ParamSpec::number("price_usd", "USD", "purchase price of one machine, paid on arrival").at_least(0).defaults(0.0),
      ParamSpec::date("arrives", "when the machines are installed and paid (default: the start)").optional(),
      ParamSpec::date("retires", "when they are taken out and sold (default: never)").optional(),
      ParamSpec::number("life_years", "year", "retire at this age instead of a date").above(0).optional(),
      ParamSpec::number("depreciation_years", "year", "straight-line depreciation period (assumed 4; miners report 3-5)")
          .above(0).defaults(4.0),
      ParamSpec::number("failure_rate_per_year", "1/year", "failures per machine-year").at_least(0).defaults(0.0),
      ParamSpec::duration("repair", "time to bring a failed machine back").defaults("7d"),
  };
  return specs;
}

const std::vector<ParamSpec>& mining_params() {
  static const std::vector<ParamSpec> specs{
      ParamSpec::boolean("shutoff", "let dispatch curtail cohorts while power costs more than they earn (net of the pool fee)")
          .defaults("true"),
      ParamSpec::number("shutoff_margin", "", "hysteresis: stop below c·(1−m), restart above c·(1+m)")
          .defaults(0.0).at_least(0).at_most(0.9),
      ParamSpec::duration("ramp", "time for a full stop or start of a cohort").defaults("1d"),
      ParamSpec::number("resale_margin_days", "d",
                        "a retired ASIC sells for this many days of its margin at the running hashprice and power price "
                        "(an assumption, docs/models/finance.md)")
          .at_least(0).defaults(180.0),
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
    c.name = p.has("name") ? p.string("name") : c.model;
    c.hall = p.string("hall");
    for (const auto& other : spec->cohorts)
      if (other.name == c.name)
        p.fail(p.has("name") ? "name" : "model",
               "two cohorts are named '" + c.name + "'; give each a distinct `name`");
    c.hashrate_ths = p.number("hashrate_ths");
    c.power_w = p.number("power_w");
    c.count = sim::config::read_count_or_power(p, cohorts[i], c.power_w, "machine", 1e8);
    c.price_usd = p.number("price_usd");
    c.failure_rate_per_year = p.number("failure_rate_per_year");
    c.repair_s = p.duration_s("repair");
    c.arrives_s = p.has("arrives") ? p.date_s("arrives") : 0;
    if (p.has("retires") && p.has("life_years")) p.fail("life_years", "give either retires (a date) or life_years, not both");
    if (p.has("retires")) c.retires_s = p.date_s("retires");
    if (p.has("life_years"))
      c.retires_s = std::max<sim::SimTime>(0, c.arrives_s) + std::llround(p.number("life_years") * sim::kSecondsPerYear);
    if (p.has("retires") && c.retires_s <= c.arrives_s)
      p.fail("retires", "is not after the cohort arrives (" + sim::format_utc(ctx.epoch_unix_s + c.arrives_s) +
                            "); a cohort retires after it arrives");
    c.depreciation_years = p.number("depreciation_years");
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
  spec->resale_margin_days = m.number("resale_margin_days");
  return spec;
}

MiningFleet::MiningFleet(std::shared_ptr<const MiningSpec> spec, BitcoinWorld& world)
    : spec_(std::move(spec)), world_(world), pool_(spec_->pool.make()) {
  cohorts_.reserve(spec_->cohorts.size());  // consumers' addresses must not move
  for (const auto& c : spec_->cohorts) cohorts_.emplace_back(*this, c);
  revenue_btc_ = &scratch_[0];
  revenue_usd_ = &scratch_[1];
  subsidy_usd_ = &scratch_[2];
  fees_usd_ = &scratch_[3];
}

MiningFleet::Cohort::Cohort(MiningFleet& fleet, const AsicCohortSpec& spec)
    : fleet_(fleet), spec_(&spec), unit_mw_(spec.power_w * spec.pue / 1e6), limit_mw_(nameplate_mw()) {
  installed = spec.arrives_s <= 0 && spec.retires_s != 0 ? spec.count : 0;
  running = installed;
}

void MiningFleet::set_installed(std::size_t i, std::int64_t n) {
  cohorts_[i].installed = std::clamp<std::int64_t>(n, 0, cohorts_[i].spec_->count);
  if (engine_) schedule_failure(i);
  refresh();
  cohorts_[i].notify_changed();
}

std::vector<sim::PowerConsumer*> MiningFleet::consumers() {
  std::vector<sim::PowerConsumer*> out;
  for (auto& c : cohorts_) out.push_back(&c);
  return out;
}

double MiningFleet::max_grid_power_mw() const {
  double mw = 0.0;
  for (const auto& c : cohorts_) mw += c.nameplate_mw();
  return mw;
}

double MiningFleet::grid_power_mw() const {
  double mw = 0.0;
  for (const auto& c : cohorts_) mw += c.power_mw();
  return mw;
}

double MiningFleet::net_hashprice_usd_per_th_day() const {
  return world_.state().hashprice_usd_per_th_day * (1.0 - pool_->fee_fraction());
}

double MiningFleet::Cohort::step_fraction() const {
  if (last_move_s < 0 || fleet_.spec_->ramp_s <= 0 || !fleet_.engine_) return 1.0;
  return static_cast<double>(fleet_.engine_->now() - last_move_s) / static_cast<double>(fleet_.spec_->ramp_s);
}

double MiningFleet::Cohort::floor_mw(double step) const {
  // Not rounded to whole machines, so that min < max whenever the ramp can move: the grant
  // then tells which way the policy wants the cohort to go. Failed machines count: they may
  // come back before the next decision, and the limit must leave them room.
  return std::max(0.0, wanted_fraction - step) * static_cast<double>(installed) * unit_mw_;
}

double MiningFleet::Cohort::ceiling_mw(double step) const {
  return std::min(1.0, wanted_fraction + step) * static_cast<double>(installed) * unit_mw_;
}

double MiningFleet::Cohort::min_power_mw() const { return floor_mw(step_fraction()); }

double MiningFleet::Cohort::max_power_mw() const { return ceiling_mw(step_fraction()); }

bool MiningFleet::Cohort::curtailable() const { return fleet_.spec_->shutoff; }

double MiningFleet::Cohort::value_usd_per_mwh() const {
  // USD per TH/s-day × TH/s per grid MW / 24 h = USD per grid MWh.
  const double v = fleet_.net_hashprice_usd_per_th_day() * spec_->hashrate_ths / unit_mw_ / 24.0;
  const double m = fleet_.spec_->shutoff_margin;
  return wanted ? v / (1.0 - m) : v / (1.0 + m);
}

// The accessors' values, the ramp's step computed once.
sim::PowerReading MiningFleet::Cohort::reading() const {
  const double step = step_fraction();
  return sim::PowerReading{sim::LoadKind::kAsic, power_mw(),          floor_mw(step), ceiling_mw(step),
                           nameplate_mw(),       power_limit_mw(),    value_usd_per_mwh(), curtailable()};
}

void MiningFleet::Cohort::set_power_limit_mw(double limit_mw) {
  // The decision moves the ramp: toward all machines when granted more than the ramp's
  // floor, toward none otherwise. A limit below the floor (the cap) still applies at once.
  const double step = step_fraction();
  const double low_mw = floor_mw(step);
  const double high_mw = ceiling_mw(step);
  if (high_mw > low_mw) wanted = limit_mw > low_mw + 1e-9 * (high_mw - low_mw);
  const double fraction = wanted ? std::min(1.0, wanted_fraction + step) : std::max(0.0, wanted_fraction - step);
  if (fleet_.engine_) last_move_s = fleet_.engine_->now();
  limit_mw = std::max(0.0, limit_mw);
  if (fleet_.refreshed_ && fraction == wanted_fraction && limit_mw == limit_mw_) return;  // nothing changes
  wanted_fraction = fraction;
  limit_mw_ = limit_mw;
  fleet_.refresh();
}

void MiningFleet::Cohort::dispatch() {
  const std::int64_t available = std::max<std::int64_t>(0, installed - failed);
  const auto wanted_n = static_cast<std::int64_t>(std::floor(wanted_fraction * static_cast<double>(available) + 1e-9));
  const auto fits = static_cast<std::int64_t>(std::floor(limit_mw_ / unit_mw_ + 1e-9));
  running = std::max<std::int64_t>(0, std::min(wanted_n, fits));
}

void MiningFleet::refresh() {
  refreshed_ = true;
  double ths = 0.0;
  for (auto& c : cohorts_) {
    c.dispatch();
    ths += static_cast<double>(c.running) * c.spec_->hashrate_ths;
  }
  hashrate_ths_ = ths;
  world_.set_facility_hashrate_ths(ths);
}

void MiningFleet::start(sim::RunContext& ctx) {
  engine_ = &ctx.engine;
  horizon_s_ = ctx.build.horizon_s;
  pool_rng_ = ctx.rng.stream("pool");
  revenue_btc_ = &ctx.ledger.flow();
  revenue_usd_ = &ctx.ledger.flow();
  subsidy_usd_ = &ctx.ledger.account("block_subsidy_revenue", sim::AccountKind::kRevenue, sim::CashSign::kIn);
  fees_usd_ = &ctx.ledger.account("fee_revenue", sim::AccountKind::kRevenue, sim::CashSign::kIn);
  for (std::size_t i = 0; i < cohorts_.size(); ++i) {
    cohorts_[i].failure_rng = ctx.rng.stream("asic_failures." + cohorts_[i].name());
    schedule_failure(i);
  }

  auto& rec = ctx.recorder;
  rec.stock({"facility_hashrate_ths", "TH/s", "hashrate of the facility's running machines"},
            [this] { return hashrate_ths_; });
  rec.stock({"net_hashprice_usd_per_th_day", "USD/(TH/s)/day", "hashprice net of the pool fee"},
            [this] { return net_hashprice_usd_per_th_day(); });
  rec.flow({"mining_revenue_btc", "BTC", "mining revenue (pool payouts)"}, *revenue_btc_);
  rec.flow({"mining_revenue_usd", "USD", "mining revenue valued at the current price (subsidy + fees)"}, *revenue_usd_);
  rec.flow({"block_subsidy_revenue_usd", "USD", "mining revenue from the block subsidy"}, *subsidy_usd_);
  rec.flow({"fee_revenue_usd", "USD", "mining revenue from transaction fees"}, *fees_usd_);
  // One variable over a `cohort` dimension labelled by the cohorts' names (unique: the
  // scenario loader refuses two cohorts of one name).
  std::vector<std::string> cohort_names;
  for (const auto& c : cohorts_) cohort_names.push_back(c.name());
  rec.stock_int_2d({"machines_running", "1", "machines running in each ASIC cohort"}, "cohort",
                   std::move(cohort_names), [this](std::span<std::int64_t> row) {
                     for (std::size_t i = 0; i < row.size(); ++i) row[i] = cohorts_[i].running;
                   });
}

void MiningFleet::schedule_failure(std::size_t i) {
  Cohort& c = cohorts_[i];
  engine_->cancel(c.next_failure);
  const double rate_per_s = static_cast<double>(std::max<std::int64_t>(0, c.installed - c.failed)) * c.spec_->failure_rate_per_year /
                            static_cast<double>(sim::kSecondsPerYear);
  const double u = sim::uniform_open01(c.failure_rng);  // drawn also when no machine can fail
  if (!(rate_per_s > 0)) return;
  const double at = static_cast<double>(engine_->now()) + std::ceil(sim::exponential_by_inversion(u, 1.0 / rate_per_s));
  if (at > static_cast<double>(horizon_s_)) return;  // no failure within the run
  c.next_failure = engine_->at(static_cast<sim::SimTime>(at), [this, i] { fail(i); });
}

void MiningFleet::fail(std::size_t i) {
  Cohort& c = cohorts_[i];
  c.next_failure = sim::EventId{};
  ++c.failed;
  if (engine_->now() + c.spec_->repair_s <= horizon_s_)  // otherwise it stays down for the rest of the run
    engine_->after(c.spec_->repair_s, [this, i] {
      --cohorts_[i].failed;
      schedule_failure(i);
      refresh();
    });
  schedule_failure(i);
  refresh();
}

PayoutState MiningFleet::payout_state() const {
  const BitcoinState& w = world_.state();
  PayoutState s;
  s.facility_hashrate_ths = hashrate_ths_;
  s.network_hashrate_ths = w.network_hashrate_ths + hashrate_ths_;
  s.expected_hashes_per_block = w.difficulty * kHashesPerDifficulty;
  s.subsidy_sat = w.subsidy_sat;
  s.expected_fees_sat = w.expected_fees_sat;
  return s;
}

void MiningFleet::update_rates(const sim::WorldState&) {
  const double btc_per_s = pool_->accrual_btc_per_s(payout_state());
  revenue_btc_->rate_per_s = btc_per_s;
  revenue_usd_->rate_per_s = btc_per_s * world_.state().btc_price_usd;
  // A pool pays subsidy and fees in proportion to the block reward (FPPS pays both).
  const BitcoinState& w = world_.state();
  const double reward_sat = static_cast<double>(w.subsidy_sat) + w.expected_fees_sat;
  const double subsidy_share = reward_sat > 0 ? static_cast<double>(w.subsidy_sat) / reward_sat : 1.0;
  subsidy_usd_->rate_per_s = revenue_usd_->rate_per_s * subsidy_share;
  fees_usd_->rate_per_s = revenue_usd_->rate_per_s - subsidy_usd_->rate_per_s;
}

double MiningFleet::on_block(const BlockFound& block) {
  if (!engine_) return 0.0;
  PayoutState s = payout_state();
  s.subsidy_sat = block.subsidy_sat;
  const std::int64_t sat = pool_->on_block_sat(s, block.subsidy_sat, block.fees_sat, pool_rng_);
  if (sat == 0) return 0.0;
  paid_sat_ += sat;
  const double btc = static_cast<double>(sat) / kCoinSat;
  const double usd = btc * world_.state().btc_price_usd;
  revenue_btc_->add(btc);
  revenue_usd_->add(usd);
  const double subsidy_share =
      static_cast<double>(block.subsidy_sat) / static_cast<double>(std::max<std::int64_t>(1, block.subsidy_sat + block.fees_sat));
  subsidy_usd_->add(usd * subsidy_share);
  fees_usd_->add(usd - usd * subsidy_share);
  return usd;
}

}  // namespace hybridsim::models::bitcoin
