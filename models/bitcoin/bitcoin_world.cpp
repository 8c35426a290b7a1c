#include "models/bitcoin/bitcoin_world.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include "models/bitcoin/chain_checkpoints.hpp"
#include "sim/core/portable_random.hpp"


namespace hybridsim::models::bitcoin {

using sim::config::ParamSpec;

const std::vector<std::string>& bitcoin_world_keys() {
  static const std::vector<std::string> keys{"bitcoin", "btc_price", "network", "fees"};
  return keys;
}

const std::vector<ParamSpec>& bitcoin_chain_params() {
  static const std::vector<ParamSpec> specs{
      ParamSpec::date("start_at",
                      "the real chain at this date (at or before the start): start_height, start_difficulty and "
                      "start_time from checkpoints, estimated between them (a warning); instead of those keys")
          .optional(),
      ParamSpec::integer("start_height", "blocks", "height of the last block at the start (at most 10^12); required "
                                                   "without start_at")
          .at_least(0)
          .at_most(static_cast<double>(kMaxStartHeight))
          .optional(),
      ParamSpec::number("start_difficulty", "",
                        "difficulty in force for the next block (>= 1, Core's proof-of-work limit); required without "
                        "start_at")
          .at_least(kMinDifficulty)
          .optional(),
      ParamSpec::date("start_time", "time of the start block (default: the scenario start)").optional(),
      ParamSpec::date("window_start_time",
                      "time of the first block of the start block's retarget window (height − height mod 2016); "
                      "default: its earlier blocks 600 s apart")
          .optional(),
      ParamSpec::string("blocks", "block arrivals: Poisson, or at their expected times")
          .one_of({"poisson", "deterministic"})
          .defaults("poisson"),
      ParamSpec::string("retarget_timespan",
                        "core_2015: Bitcoin Core's measurement over 2015 intervals; full_2016: all 2016")
          .one_of({"core_2015", "full_2016"})
          .defaults("core_2015"),
      ParamSpec::integer("halving_interval", "blocks", "blocks between halvings (Core: 210000)")
          .at_least(1)
          .at_most(1e12)
          .defaults("210000"),
      ParamSpec::integer("initial_subsidy_sat", "sat", "subsidy before the first halving (Core: 5000000000 = 50 BTC)")
          .at_least(0)
          .at_most(1e15)
          .defaults("5000000000"),
      ParamSpec::integer("tail_emission_sat", "sat", "the subsidy never falls below this (Core: 0)")
          .at_least(0)
          .at_most(1e15)
          .defaults(0.0),
      ParamSpec::string("difficulty_algorithm",
                        "core: Bitcoin Core's retarget every 2016 blocks; asert: Bitcoin Cash's aserti3-2d, every block")
          .one_of({"core", "asert"})
          .defaults("core"),
      ParamSpec::duration("asert_half_life", "ASERT's half-life (Bitcoin Cash: 2 days)").defaults("2d"),
      ParamSpec::duration("price_step", "interval of BTC price steps").defaults("1h"),
      ParamSpec::duration("network_step", "interval of network hashrate steps").defaults("1h"),
  };
  return specs;
}

namespace {

// "2024-04-20T00:09:27Z": a date the loader reads back.
std::string yaml_date(std::int64_t unix_s) {
  std::string text = sim::format_utc(unix_s);
  text[10] = 'T';
  return text + "Z";
}

// The shortest text that reads back as the same double.
std::string yaml_number(double v) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, ec == std::errc{} ? end : buf);
}

/// `start_at: DATE`: the chain's height, difficulty and start block time from the checkpoints
/// (models/bitcoin/chain_checkpoints.hpp). The resolved scenario gets the values used in
/// place of start_at, so it reloads to the same chain; an estimate is a warning.
void resolve_start_at(const sim::config::Document& doc, YAML::Node map, const sim::config::Params& chain,
                      const sim::config::BuildContext& ctx, BitcoinWorldSpec& spec) {
  for (const char* key : {"start_height", "start_difficulty", "start_time", "window_start_time"})
    if (chain.has(key))
      chain.fail("start_at", std::string("give either start_at (the chain at a date, from checkpoints) or ") + key +
                                 " and the other start keys, not both");
  const sim::SimTime at_s = chain.date_s("start_at");
  const std::int64_t at_unix = ctx.epoch_unix_s + at_s;
  if (at_s > 0)
    chain.fail("start_at", "is after the scenario start; the chain is taken at or before the start (usually the "
                           "start itself)");
  const auto state = chain_state_at(at_unix);
  if (!state) {
    const auto& t = chain_checkpoints();
    chain.fail("start_at", sim::format_utc(at_unix) + " UTC is outside the checkpoints: they cover " +
                               sim::format_utc(t.front().time_unix_s) + " to " +
                               sim::format_utc(t.back().time_unix_s + kCheckpointReachDays * 86400) + " UTC (" +
                               std::to_string(kCheckpointReachDays) + " days after the last, height " +
                               std::to_string(t.back().height) + "); give start_height and start_difficulty");
  }
  spec.start_height = state->height;
  spec.start_difficulty = state->difficulty;
  spec.start_block_time_s = state->block_time_unix_s - ctx.epoch_unix_s;
  if (state->window_start_time_unix_s) spec.window_start_time_s = *state->window_start_time_unix_s - ctx.epoch_unix_s;
  if (!state->exact)
    doc.warn(chain.where("start_at"),
             chain.path() + ".start_at: estimated start_height " + std::to_string(state->height) +
                 ", start_difficulty " + yaml_number(state->difficulty) + ", start_time " +
                 sim::format_utc(state->block_time_unix_s) + " UTC (" + state->basis +
                 "); give start_height and start_difficulty for the real values");
  map.remove("start_at");
  map["start_height"] = std::to_string(state->height);
  map["start_difficulty"] = yaml_number(state->difficulty);
  map["start_time"] = yaml_date(state->block_time_unix_s);
  if (state->window_start_time_unix_s) map["window_start_time"] = yaml_date(*state->window_start_time_unix_s);
}

}  // namespace

BitcoinWorldSpec read_bitcoin_world(const sim::config::Document& doc, const YAML::Node& world,
                                    const std::string& path, const sim::config::BuildContext& ctx,
                                    const BitcoinCatalogue& cat) {
  const auto section = [&](const char* key) {
    const YAML::Node n = world[key];
    if (!n.IsDefined() || n.IsNull())
      throw sim::config::ScenarioError(doc.locate(world), path + ": missing required key '" + key + "'");
    return n;
  };
  BitcoinWorldSpec spec;
  const sim::config::Params chain =
      sim::config::read_params(doc, section("bitcoin"), path + ".bitcoin", bitcoin_chain_params(), ctx);
  if (chain.has("start_at")) {
    resolve_start_at(doc, section("bitcoin"), chain, ctx, spec);
  } else {
    for (const char* key : {"start_height", "start_difficulty"})
      if (!chain.has(key))
        throw sim::config::ScenarioError(chain.where(key), chain.path() + ": missing required key '" + key +
                                                               "'; give start_height and start_difficulty, or "
                                                               "start_at: DATE to take them from the real chain");
    spec.start_height = chain.integer("start_height");
    spec.start_difficulty = chain.number("start_difficulty");
  }
  if (chain.has("start_time")) spec.start_block_time_s = chain.date_s("start_time");
  if (spec.start_block_time_s > 0)
    chain.fail("start_time", "must not be after the scenario start");
  // Times before 1970 are allowed (a replay of 2009), but not so far back that block times
  // could leave the range the engine and the output's time axis hold.
  if (spec.start_block_time_s < -100 * sim::kSecondsPerYear)
    chain.fail("start_time", "must be less than 100 years before the scenario start");
  if (chain.has("window_start_time")) {
    const sim::SimTime w = chain.date_s("window_start_time");
    const std::int64_t into_window = spec.start_height % kRetargetIntervalBlocks;
    if (w > spec.start_block_time_s)
      chain.fail("window_start_time", "must not be after the start block's time");
    if (into_window == 0 && w != spec.start_block_time_s)
      chain.fail("window_start_time", "the start block opens its window (height mod 2016 = 0): give its own time or none");
    if (w < spec.start_block_time_s - 100 * sim::kSecondsPerYear)
      chain.fail("window_start_time", "must be less than 100 years before the start block");
    spec.window_start_time_s = w;
  }
  spec.deterministic_blocks = chain.string("blocks") == "deterministic";
  spec.rules.timespan_rule = chain.string("retarget_timespan") == "core_2015" ? TimespanRule::kCore2015
                                                                              : TimespanRule::kFull2016;
  spec.rules.halving_interval_blocks = chain.integer("halving_interval");
  spec.rules.initial_subsidy_sat = chain.integer("initial_subsidy_sat");
  spec.rules.tail_emission_sat = chain.integer("tail_emission_sat");
  spec.rules.algorithm =
      chain.string("difficulty_algorithm") == "asert" ? DifficultyAlgorithm::kAsert : DifficultyAlgorithm::kCoreRetarget;
  spec.rules.asert_half_life_s = chain.duration_s("asert_half_life");
  if (spec.rules.asert_half_life_s <= 0) chain.fail("asert_half_life", "must be > 0");
  spec.price_step_s = chain.duration_s("price_step");
  spec.network_step_s = chain.duration_s("network_step");
  spec.btc_price = sim::config::read_model(doc, section("btc_price"), path + ".btc_price", cat.btc_price, ctx);
  spec.network = sim::config::read_model(doc, section("network"), path + ".network", cat.network, ctx);
  spec.fees = sim::config::read_model(doc, section("fees"), path + ".fees", cat.fees, ctx);
  return spec;
}

BitcoinWorld::BitcoinWorld(const BitcoinWorldSpec& spec, BitcoinState& state)
    : state_(state),
      price_(spec.btc_price.make()),
      network_(spec.network.make()),
      fees_(spec.fees.make()),
      chain_(spec.start_height, spec.start_difficulty, spec.start_block_time_s, spec.rules, spec.window_start_time_s),
      deterministic_(spec.deterministic_blocks),
      start_block_time_s_(spec.start_block_time_s),
      price_step_s_(spec.price_step_s),
      network_step_s_(spec.network_step_s),
      last_halving_s_(std::numeric_limits<sim::SimTime>::lowest()) {
  state_.btc_price_usd = price_->initial_usd();
  const double implied_ths = chain_.expected_hashes_per_block() / 600.0 / 1e12;
  state_.network_hashrate_ths = network_->initial_ths(implied_ths);
  fees_->observe_time_s(0);
  refresh_derived();
}

void BitcoinWorld::refresh_derived() {
  state_.block_height = chain_.height();
  state_.difficulty = chain_.difficulty();
  state_.subsidy_sat = chain_.subsidy_sat();
  state_.expected_fees_sat = fees_->expected_fees_sat(chain_.height() + 1, state_.subsidy_sat);
  const double reward_btc = (static_cast<double>(state_.subsidy_sat) + state_.expected_fees_sat) / kCoinSat;
  state_.hashprice_usd_per_th_day = hashprice_usd_per_th_day(reward_btc, state_.btc_price_usd, state_.difficulty);
  // The rates that hang on the world (the pool's accrual, its value in USD, the treasury's
  // share) read the price, the difficulty, the subsidy and the expected fees, never the
  // height. Most blocks move none of them (difficulty retargets every 2016 blocks, the
  // subsidy every 210,000, expected fees with a fee model's state), so the version moves
  // only when one did: the kernel then skips recomputing the rates after such a block,
  // which would give the same values.
  const RateInputs now{state_.btc_price_usd, state_.difficulty, state_.subsidy_sat, state_.expected_fees_sat};
  if (!(now == rate_inputs_)) {
    rate_inputs_ = now;
    ++version_;
  }
}

double BitcoinWorld::total_hashes_per_s() const {
  return (state_.network_hashrate_ths + state_.facility_hashrate_ths) * 1e12;
}

void BitcoinWorld::start(sim::RunContext& ctx, std::function<void(const BlockFound&)> on_block) {
  engine_ = &ctx.engine;
  horizon_s_ = ctx.build.horizon_s;
  on_block_ = std::move(on_block);
  price_rng_ = ctx.rng.stream("btc_price");
  network_rng_ = ctx.rng.stream("network");
  fee_rng_ = ctx.rng.stream("fees");
  block_rng_ = ctx.rng.stream("blocks");

  using sim::priority::kWorld;
  ctx.engine.every(price_step_s_, price_step_s_, [this] { step_price(); }, kWorld);
  ctx.engine.every(network_step_s_, network_step_s_, [this] { step_network(); }, kWorld);
  // The work of the first block: in Poisson mode it is memoryless, so the start block's
  // own time does not matter; in deterministic mode the next block is due one interval after
  // the start block, whose time may be before the epoch (the hashing between is the
  // network's, at its starting rate).
  const double e0 = sim::exponential(block_rng_, 1.0);  // drawn in either mode (common random numbers)
  remaining_hashes_ = chain_.expected_hashes_per_block() * (deterministic_ ? 1.0 : e0);
  if (deterministic_) remaining_hashes_ -= total_hashes_per_s() * static_cast<double>(-start_block_time_s_);
  work_clock_s_ = 0;
  reschedule_block();

  auto& rec = ctx.recorder;
  rec.stock({"btc_price_usd", "USD", "BTC price"}, [this] { return state_.btc_price_usd; });
  rec.stock({"network_hashrate_ehs", "EH/s", "network hashrate, facility included"},
            [this] { return total_hashes_per_s() / 1e18; });
  rec.stock({"difficulty", "1", "difficulty in force for the next block"}, [this] { return state_.difficulty; });
  rec.stock_int({"block_height", "1", "height of the last block"}, [this] { return state_.block_height; });
  rec.stock({"block_subsidy_btc", "BTC", "subsidy of the next block (Bitcoin Core's rule)"},
            [this] { return static_cast<double>(state_.subsidy_sat) / kCoinSat; });
  rec.stock({"fees_btc_per_block", "BTC", "expected transaction fees per block"},
            [this] { return state_.expected_fees_sat / kCoinSat; });
  rec.stock({"hashprice_usd_per_th_day", "USD/(TH/s)/day", "revenue of one TH/s for a day at current conditions"},
            [this] { return state_.hashprice_usd_per_th_day; });
}

void BitcoinWorld::step_price() {
  PriceStep step;
  step.now_s = engine_->now() - price_step_s_;
  step.dt_s = price_step_s_;
  step.halvings_seen = state_.halvings_seen;
  step.last_halving_s = last_halving_s_;
  state_.btc_price_usd = price_->next_usd(state_.btc_price_usd, step, price_rng_);
  fees_->observe_time_s(engine_->now());
  refresh_derived();
}

void BitcoinWorld::step_network() {
  NetworkStep step;
  step.now_s = engine_->now() - network_step_s_;
  step.dt_s = network_step_s_;
  step.hashprice_usd_per_th_day = state_.hashprice_usd_per_th_day;
  step.btc_price_usd = state_.btc_price_usd;
  step.difficulty = state_.difficulty;
  const double next = network_->next_ths(state_.network_hashrate_ths, step, network_rng_);
  if (next == state_.network_hashrate_ths) return;
  advance_work();
  ++version_;
  state_.network_hashrate_ths = next;
  reschedule_block();
}

void BitcoinWorld::set_facility_hashrate_ths(double ths) {
  if (ths == state_.facility_hashrate_ths) return;
  if (!engine_) {
    state_.facility_hashrate_ths = ths;
    return;
  }
  advance_work();
  ++version_;
  state_.facility_hashrate_ths = ths;
  reschedule_block();
}

void BitcoinWorld::advance_work() {
  // The work done since the last change, at the rate that held over it.
  const sim::SimTime now = engine_->now();
  remaining_hashes_ -= total_hashes_per_s() * static_cast<double>(now - work_clock_s_);
  work_clock_s_ = now;
}

void BitcoinWorld::reschedule_block() { (void)schedule_next_block(false); }

bool BitcoinWorld::schedule_next_block(bool may_run_inline) {
  if (next_block_.valid()) engine_->cancel(next_block_);
  next_block_ = sim::EventId{};
  const double rate = total_hashes_per_s();
  if (!(rate > 0)) return false;  // no one hashes: no block until the rate returns
  // Block times are whole seconds; rounding to nearest keeps the mean interval unbiased. A
  // block due after the horizon is not scheduled: the work stays, and the next change of
  // rate schedules it again.
  const double at = static_cast<double>(work_clock_s_) + std::round(std::max(0.0, remaining_hashes_) / rate);
  if (!(at <= static_cast<double>(horizon_s_))) return false;  // also NaN (work or rate not finite)
  const auto at_s = static_cast<sim::SimTime>(at);
  if (may_run_inline && engine_->run_inline(at_s)) return true;
  next_block_ = engine_->at(at_s, [this] { block(); }, sim::priority::kWorld);
  return false;
}

void BitcoinWorld::block() {
  next_block_ = sim::EventId{};
  // Most blocks are the next thing to happen after the one before (nothing else is due in
  // between): those run in this loop, the engine only moving its clock (Engine::run_inline),
  // in the same order and with the same results as through the queue, which is spared a push
  // and a pop per block.
  do {
    const sim::SimTime now = engine_->now();
    BlockFound found;
    found.time_s = now;
    found.height = chain_.height() + 1;
    found.subsidy_sat = chain_.subsidy_sat();
    fees_->observe_time_s(now);
    found.fees_sat = fees_->draw_fees_sat(found.height, found.subsidy_sat, fee_rng_);
    const BlockOutcome outcome = chain_.add_block(now);
    if (outcome.halving) {
      ++state_.halvings_seen;
      last_halving_s_ = now;
      ev_time_s_.push_back(now);
      ev_height_.push_back(chain_.height());
      ev_kind_.push_back("halving");
      ev_old_.push_back(static_cast<double>(chain_.rules().subsidy_sat(chain_.height() - 1)) / kCoinSat);
      ev_new_.push_back(static_cast<double>(chain_.rules().subsidy_sat(chain_.height())) / kCoinSat);
      ev_timespan_s_.push_back(0.0);
    }
    if (outcome.retarget) {
      ev_time_s_.push_back(now);
      ev_height_.push_back(chain_.height());
      ev_kind_.push_back("retarget");
      ev_old_.push_back(outcome.old_difficulty);
      ev_new_.push_back(outcome.new_difficulty);
      ev_timespan_s_.push_back(static_cast<double>(outcome.timespan_s));
    }
    refresh_derived();
    if (on_block_) on_block_(found);
    // Block times are whole seconds, so the block was found a fraction of a second early or
    // late; that work is carried into the next block, and rounding never accumulates.
    advance_work();
    const double carried = remaining_hashes_;
    const double e = sim::exponential(block_rng_, 1.0);
    remaining_hashes_ = chain_.expected_hashes_per_block() * (deterministic_ ? 1.0 : e) + carried;
  } while (schedule_next_block(true));
}

void BitcoinWorld::finish(sim::RunContext& ctx) {
  sim::output::Table t;
  t.group = "network_events";
  t.dimension = "event";
  t.long_name = "halvings and difficulty retargets during the run";
  std::vector<std::int64_t> time;
  for (const auto t_s : ev_time_s_) time.push_back(sim::output::table_time(ctx.build.epoch_unix_s, t_s));
  t.columns.push_back({{"time", sim::output::kTableTimeUnits, "time of the block"}, std::move(time)});
  t.columns.push_back({{"height", "1", "height of the block"}, std::move(ev_height_)});
  t.columns.push_back({{"kind", "", "halving or retarget"}, std::move(ev_kind_)});
  t.columns.push_back({{"old_value", "", "subsidy before (BTC) or difficulty before"}, std::move(ev_old_)});
  t.columns.push_back({{"new_value", "", "subsidy after (BTC) or difficulty after"}, std::move(ev_new_)});
  t.columns.push_back({{"timespan_s", "s", "measured retarget timespan, before clamping (0 for halvings)"},
                       std::move(ev_timespan_s_)});
  t.set_coordinates("time");
  ctx.recorder.add_table(std::move(t));
}

}  // namespace hybridsim::models::bitcoin
