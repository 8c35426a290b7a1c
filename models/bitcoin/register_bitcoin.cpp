#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "models/bitcoin/bitcoin_catalogue.hpp"
#include "models/bitcoin/constant_fees.hpp"
#include "models/bitcoin/constant_price.hpp"
#include "models/bitcoin/csv_fees.hpp"
#include "models/bitcoin/csv_network.hpp"
#include "models/bitcoin/csv_price.hpp"
#include "models/bitcoin/fpps_payout.hpp"
#include "models/bitcoin/gbm_price.hpp"
#include "models/bitcoin/growth_network.hpp"
#include "models/bitcoin/halving_response_price.hpp"
#include "models/bitcoin/hashrate_response_network.hpp"
#include "models/bitcoin/industry_network.hpp"
#include "models/bitcoin/merton_price.hpp"
#include "models/bitcoin/regime_switching_price.hpp"
#include "models/bitcoin/share_of_subsidy_fees.hpp"
#include "models/bitcoin/solo_payout.hpp"
#include "models/bitcoin/stochastic_fees.hpp"

namespace hybridsim::models::bitcoin {

using sim::config::ParamSpec;
using sim::config::Params;

namespace {

std::optional<double> optional_number(const Params& p, const char* name) {
  return p.has(name) ? std::optional(p.number(name)) : std::nullopt;
}

// The parameters every CSV replay shares.
std::vector<ParamSpec> replay_specs(std::vector<ParamSpec> extra) {
  std::vector<ParamSpec> specs{
      ParamSpec::string("path", "CSV file of `date,value` rows (optional header; daily, hourly or irregular), relative to the scenario's folder"),
      ParamSpec::string("column", "header name of the value column (default: the second column)").optional(),
      ParamSpec::string("after_end", "what happens when the run outlasts the file: fail, or hold the last value")
          .defaults("fail")
          .one_of({"fail", "hold"}),
      ParamSpec::string("interpolation", "between rows: linear, or step (each row's value held until the next)")
          .defaults("linear")
          .one_of({"linear", "step"})};
  for (auto& e : extra) specs.push_back(std::move(e));
  return specs;
}

// Loads a replay's file and checks it covers the run, reporting problems at `path`. Values
// must be > 0 within the run (>= 0 with `allow_zero`).
CsvSeries load_replay(const Params& p, bool allow_zero = false) {
  std::filesystem::path file(p.string("path"));
  if (file.is_relative() && !p.context().scenario_dir.empty()) file = std::filesystem::path(p.context().scenario_dir) / file;
  CsvSeries series = [&] {
    try {
      sim::config::CsvOptions options;
      options.value_column = p.has("column") ? p.string("column") : "";
      options.interpolation =
          p.string("interpolation") == "step" ? sim::config::Interpolation::kStep : sim::config::Interpolation::kLinear;
      return CsvSeries::load(file.string(), options);
    } catch (const sim::config::CsvError& e) {
      p.fail("path", e.what());
    }
  }();
  const std::int64_t start = p.context().epoch_unix_s;
  const std::int64_t end = start + p.context().horizon_s;
  if (series.first_unix_s() > start)
    p.fail("path", file.string() + " starts at " + sim::format_utc(series.first_unix_s()) +
                       ", after the scenario's start " + sim::format_utc(start));
  if (series.last_unix_s() < end && p.string("after_end") == "fail")
    p.fail("path", file.string() + " ends at " + sim::format_utc(series.last_unix_s()) + ", before the run ends at " +
                       sim::format_utc(end) + " (set after_end: hold to keep the last value)");
  if (allow_zero) {
    for (const auto& row : series.points())
      if (row.value < 0) p.fail("path", file.string() + ":" + std::to_string(row.line) + ": value must be >= 0");
  } else if (const auto* bad = series.first_non_positive(start, end)) {
    p.fail("path", file.string() + ":" + std::to_string(bad->line) + ": value must be > 0 within the run");
  }
  return series;
}

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
  r.add({"merton", "Merton (1976) jump diffusion: GBM plus Poisson lognormal jumps in log price",
         {ParamSpec::number("initial_usd", "USD", "price at the start").above(0),
          ParamSpec::number("drift_per_year", "1/year", "μ: with compensate_drift, E[S(t)] = S0·e^{μt}").defaults(0.0),
          ParamSpec::number("vol_per_year", "1/sqrt(year)", "σ: volatility of the diffusion part").at_least(0),
          ParamSpec::number("jumps_per_year", "1/year", "λ: mean number of jumps a year").at_least(0),
          ParamSpec::number("jump_mean", "", "m: mean log jump (−0.1 ≈ a 9.5% fall)").defaults(0.0),
          ParamSpec::number("jump_vol", "", "v: standard deviation of the log jump").at_least(0),
          ParamSpec::boolean("compensate_drift", "subtract λ(e^{m+v²/2} − 1) from the drift so jumps leave E[S] unchanged")
              .defaults("true")}},
        [](const Params& p) {
          return std::make_unique<MertonPrice>(MertonPrice::Params{
              p.number("initial_usd"), p.number("drift_per_year"), p.number("vol_per_year"), p.number("jumps_per_year"),
              p.number("jump_mean"), p.number("jump_vol"), p.boolean("compensate_drift")});
        });
  r.add({"regime_switching", "two-state (bull/bear) Markov-switching GBM, regime path simulated exactly within each step",
         {ParamSpec::number("initial_usd", "USD", "price at the start").above(0),
          ParamSpec::number("bull.drift_per_year", "1/year", "μ in the bull regime"),
          ParamSpec::number("bull.vol_per_year", "1/sqrt(year)", "σ in the bull regime").at_least(0),
          ParamSpec::number("bear.drift_per_year", "1/year", "μ in the bear regime"),
          ParamSpec::number("bear.vol_per_year", "1/sqrt(year)", "σ in the bear regime").at_least(0),
          ParamSpec::number("bull_to_bear_per_year", "1/year", "switching rate out of bull (mean bull spell = 1/rate years)").at_least(0),
          ParamSpec::number("bear_to_bull_per_year", "1/year", "switching rate out of bear").at_least(0),
          ParamSpec::string("start", "regime at the start: bull, bear, or drawn from the stationary law")
              .defaults("stationary")
              .one_of({"bull", "bear", "stationary"})}},
        [](const Params& p) {
          const std::string& start = p.string("start");
          if (start == "stationary" && p.number("bull_to_bear_per_year") + p.number("bear_to_bull_per_year") <= 0)
            p.fail("start", "a stationary start needs a switching rate > 0 (set start: bull or bear)");
          using R = RegimeSwitchingPrice;
          return std::make_unique<R>(R::Params{
              p.number("initial_usd"), p.number("bull.drift_per_year"), p.number("bull.vol_per_year"),
              p.number("bear.drift_per_year"), p.number("bear.vol_per_year"), p.number("bull_to_bear_per_year"),
              p.number("bear_to_bull_per_year"),
              start == "bull" ? R::Start::kBull : start == "bear" ? R::Start::kBear : R::Start::kStationary});
        });
  r.add({"halving_response", "GBM whose drift changes for a window after each simulated halving, plus an optional log-jump at it",
         {ParamSpec::number("initial_usd", "USD", "price at the start").above(0),
          ParamSpec::number("drift_per_year", "1/year", "μ outside the post-halving window").defaults(0.0),
          ParamSpec::number("vol_per_year", "1/sqrt(year)", "σ: volatility of log returns").at_least(0),
          ParamSpec::number("halving_drift_change_per_year", "1/year", "Δμ: added to μ during the window after a halving").defaults(0.0),
          ParamSpec::duration("halving_window", "W: how long the drift change lasts after each halving").defaults("365d"),
          ParamSpec::number("halving_log_jump", "", "J: log price jump at each halving (0.1 ≈ +10.5%)").defaults(0.0)}},
        [](const Params& p) {
          return std::make_unique<HalvingResponsePrice>(HalvingResponsePrice::Params{
              p.number("initial_usd"), p.number("drift_per_year"), p.number("vol_per_year"),
              p.number("halving_drift_change_per_year"), p.duration_s("halving_window"), p.number("halving_log_jump")});
        });
  r.add({"csv", "replay of a date,value price file (USD), interpolated linearly or held (step) between rows", replay_specs({})},
        [](const Params& p) { return std::make_unique<CsvPrice>(load_replay(p), p.context().epoch_unix_s); });
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
  r.add({"csv", "replay of a date,value hashrate file, interpolated linearly or held (step) between rows",
         replay_specs({ParamSpec::string("unit", "unit of the file's values").defaults("TH/s").one_of({"TH/s", "PH/s", "EH/s"})})},
        [](const Params& p) {
          const std::string& unit = p.string("unit");
          const double ths_per_unit = unit == "EH/s" ? 1e6 : unit == "PH/s" ? 1e3 : 1.0;
          return std::make_unique<CsvNetwork>(load_replay(p), p.context().epoch_unix_s, ths_per_unit);
        });
  r.add({"hashrate_response",
         "hashrate answering hashprice: machines whose power costs more than hashprice switch off; new efficient ones arrive on trailing profitability",
         {ParamSpec::number("initial_ths", "TH/s", "online hashrate at the start; default: what the start difficulty implies").above(0).optional(),
          ParamSpec::number("growth_per_year", "1/year", "g: growth rate of installed capacity when profitability is at its reference"),
          ParamSpec::number("fleet_efficiency_j_per_th.p10", "J/TH", "10% of installed hashrate is at least this efficient").defaults(17.0).above(0),
          ParamSpec::number("fleet_efficiency_j_per_th.p50", "J/TH", "median efficiency of installed hashrate").defaults(25.0).above(0),
          ParamSpec::number("fleet_efficiency_j_per_th.p90", "J/TH", "90% of installed hashrate is at least this efficient").defaults(35.0).above(0),
          ParamSpec::number("new_machine_j_per_th", "J/TH", "efficiency of machines arriving at the start (S21: 17.5)").defaults(17.5).above(0),
          ParamSpec::number("new_machine_spread", "", "log-sd of a monthly cohort's efficiency around it").defaults("0.1").above(0),
          ParamSpec::number("efficiency_improvement_per_year", "1/year", "k: new machines' J/TH falls as exp(−k·t)").defaults(0.0),
          ParamSpec::number("power_price_usd_per_mwh", "USD/MWh", "c: power price the world's miners pay").defaults(50.0).at_least(0),
          ParamSpec::number("pue", "", "u: facility overhead on the machines' power").defaults("1.1").at_least(1),
          ParamSpec::duration("adjustment_time", "τ: time constant of switching off (and back on)").defaults("14d"),
          ParamSpec::duration("investment_lag", "L: averaging time of the profitability new orders respond to").defaults("180d"),
          ParamSpec::number("investment_elasticity", "", "ε: growth scales as (trailing hashprice / reference)^ε").defaults(1.0).at_least(0),
          ParamSpec::number("reference_hashprice_usd_per_th_day", "USD/TH/day", "hashprice at which installed capacity grows at g; default: the first step's").above(0).optional()}},
        [](const Params& p) {
          HashrateResponseNetwork::Params q;
          q.initial_ths = optional_number(p, "initial_ths");
          q.growth_per_year = p.number("growth_per_year");
          q.p10_j_per_th = p.number("fleet_efficiency_j_per_th.p10");
          q.p50_j_per_th = p.number("fleet_efficiency_j_per_th.p50");
          q.p90_j_per_th = p.number("fleet_efficiency_j_per_th.p90");
          if (!(q.p10_j_per_th < q.p50_j_per_th && q.p50_j_per_th < q.p90_j_per_th))
            p.fail("fleet_efficiency_j_per_th", "quantiles must increase: p10 < p50 < p90");
          q.new_machine_j_per_th = p.number("new_machine_j_per_th");
          q.new_machine_spread = p.number("new_machine_spread");
          q.efficiency_improvement_per_year = p.number("efficiency_improvement_per_year");
          q.power_price_usd_per_mwh = p.number("power_price_usd_per_mwh");
          q.pue = p.number("pue");
          q.adjustment_time_s = p.duration_s("adjustment_time");
          q.investment_lag_s = p.duration_s("investment_lag");
          q.investment_elasticity = p.number("investment_elasticity");
          q.reference_hashprice_usd_per_th_day = optional_number(p, "reference_hashprice_usd_per_th_day");
          return std::make_unique<HashrateResponseNetwork>(q);
        });
  r.add({"industry",
         "the world's miners as an industry: vintages by efficiency run while hashprice net of the pool fee pays their power "
         "(spread power prices); new machines on an improving frontier are ordered when they return more than a hurdle and "
         "arrive after a lag; idle and worn machines retire",
         {ParamSpec::number("initial_ths", "TH/s", "online hashrate at the start; default: what the start difficulty implies").above(0).optional(),
          ParamSpec::number("fleet_efficiency_j_per_th.p10", "J/TH", "10% of the installed fleet at the start is at least this efficient").defaults(18.0).above(0),
          ParamSpec::number("fleet_efficiency_j_per_th.p50", "J/TH", "median efficiency of the installed fleet at the start").defaults(26.0).above(0),
          ParamSpec::number("fleet_efficiency_j_per_th.p90", "J/TH", "90% of the installed fleet at the start is at least this efficient").defaults(38.0).above(0),
          ParamSpec::number("frontier_j_per_th", "J/TH", "e_0: efficiency of machines bought at the start (Antminer S21: 17.5)").defaults(17.5).above(0),
          ParamSpec::number("frontier_floor_j_per_th", "J/TH", "e_∞: the frontier approaches this (assumption)").defaults(5.0).above(0),
          ParamSpec::number("frontier_improvement_per_year", "1/year", "k: e_f(t) = e_∞ + (e_0 − e_∞)·exp(−k·t)").defaults(0.2).at_least(0),
          ParamSpec::number("machine_price_usd_per_th", "USD/(TH/s)", "P_0: price of new machines at the start; later P_0·e_f(t)/e_0 (a constant price per watt)").defaults(15.0).above(0),
          ParamSpec::number("power_price_usd_per_mwh", "USD/MWh", "c₅₀: median power price of the world's miners (calibrated; CBECI assumes 50)").defaults(45.0).above(0),
          ParamSpec::number("power_price_spread", "", "σ_c: log-sd of miners' power prices (assumption)").defaults(0.4).above(0),
          ParamSpec::number("pue", "", "u: overhead on the machines' power").defaults(1.1).at_least(1),
          ParamSpec::number("pool_fee", "", "f: share of the reward pools keep (FPPS: 2–4%)").defaults(0.02).at_least(0).at_most(0.99),
          ParamSpec::duration("switch_time", "τ: time constant of machines switching off and on").defaults("3d"),
          ParamSpec::duration("delivery_lag", "time from an order to its machines hashing").defaults("120d"),
          ParamSpec::duration("profitability_memory", "m: averaging time of the return orders respond to").defaults("30d"),
          ParamSpec::number("hurdle_return_per_year", "1/year", "r: a new machine is bought only above this yearly return").defaults(0.3).at_least(0),
          ParamSpec::number("investment_response", "", "κ: growth of capacity per unit of excess return, below the supply limit").defaults(1.0).at_least(0),
          ParamSpec::number("max_growth_per_year", "1/year", "γ_max: the most capacity can grow in a year (foundry supply)").defaults(0.7).above(0),
          ParamSpec::number("wear_retirement_per_year", "1/year", "λ_w: installed machines lost to wear and failures").defaults(0.05).at_least(0),
          ParamSpec::number("idle_retirement_per_year", "1/year", "λ_idle: machines that stay off are scrapped at this rate").defaults(1.0).at_least(0),
          ParamSpec::number("retarget_foresight", "", "φ: miners decide on ĥ = h·(D/D̂)^φ, D̂ the next difficulty the trailing hashrate implies (0: the window's D)").defaults(1.0).at_least(0).at_most(1),
          ParamSpec::duration("next_difficulty_memory", "w: memory of the trailing hashrate that estimates the next difficulty").defaults("7d")}},
        [](const Params& p) {
          IndustryNetwork::Params q;
          q.initial_ths = optional_number(p, "initial_ths");
          q.p10_j_per_th = p.number("fleet_efficiency_j_per_th.p10");
          q.p50_j_per_th = p.number("fleet_efficiency_j_per_th.p50");
          q.p90_j_per_th = p.number("fleet_efficiency_j_per_th.p90");
          if (!(q.p10_j_per_th < q.p50_j_per_th && q.p50_j_per_th < q.p90_j_per_th))
            p.fail("fleet_efficiency_j_per_th", "quantiles must increase: p10 < p50 < p90");
          q.frontier_j_per_th = p.number("frontier_j_per_th");
          q.frontier_floor_j_per_th = p.number("frontier_floor_j_per_th");
          if (!(q.frontier_floor_j_per_th < q.frontier_j_per_th))
            p.fail("frontier_floor_j_per_th", "must be below frontier_j_per_th");
          q.frontier_improvement_per_year = p.number("frontier_improvement_per_year");
          q.machine_price_usd_per_th = p.number("machine_price_usd_per_th");
          q.power_price_usd_per_mwh = p.number("power_price_usd_per_mwh");
          q.power_price_spread = p.number("power_price_spread");
          q.pue = p.number("pue");
          q.pool_fee = p.number("pool_fee");
          q.switch_time_s = p.duration_s("switch_time");
          q.delivery_lag_s = p.duration_s("delivery_lag");
          q.profitability_memory_s = p.duration_s("profitability_memory");
          q.retarget_foresight = p.number("retarget_foresight");
          q.next_difficulty_memory_s = p.duration_s("next_difficulty_memory");
          for (const char* key : {"switch_time", "delivery_lag", "profitability_memory", "next_difficulty_memory"})
            if (p.duration_s(key) <= 0) p.fail(key, "must be > 0");
          q.hurdle_return_per_year = p.number("hurdle_return_per_year");
          q.investment_response = p.number("investment_response");
          q.max_growth_per_year = p.number("max_growth_per_year");
          q.wear_retirement_per_year = p.number("wear_retirement_per_year");
          q.idle_retirement_per_year = p.number("idle_retirement_per_year");
          return std::make_unique<IndustryNetwork>(q);
        });
}

void register_fees(sim::config::Registry<FeeModel>& r) {
  r.add({"constant", "the same fees in every block",
         {ParamSpec::number("btc_per_block", "BTC", "fees per block").at_least(0)}},
        [](const Params& p) { return std::make_unique<ConstantFees>(p.number("btc_per_block")); });
  r.add({"share_of_subsidy", "fees as a share of the block subsidy: F = share·subsidy",
         {ParamSpec::number("share", "", "fees / subsidy (0.05 = fees worth 5% of the subsidy)").at_least(0)}},
        [](const Params& p) { return std::make_unique<ShareOfSubsidyFees>(p.number("share")); });
  r.add({"stochastic", "lognormal fees per block around a mean (BTC or share of subsidy), with spike episodes",
         {ParamSpec::number("mean_btc_per_block", "BTC", "mean fees per block outside spikes (give this or mean_share)").at_least(0).optional(),
          ParamSpec::number("mean_share", "", "mean fees as a share of the subsidy outside spikes (or mean_btc_per_block)").at_least(0).optional(),
          ParamSpec::number("log_vol", "", "s: standard deviation of log fees, block to block").defaults(0.5).at_least(0),
          ParamSpec::number("spike.rate_per_year", "1/year", "spike episodes a year").defaults(0.0).at_least(0),
          ParamSpec::number("spike.multiplier", "", "M: fees during an episode, × the mean").defaults(5.0).at_least(0),
          ParamSpec::integer("spike.blocks", "blocks", "L: length of an episode (144 ≈ a day)").defaults(144.0).at_least(1)}},
        [](const Params& p) {
          if (p.has("mean_btc_per_block") == p.has("mean_share"))
            p.fail(p.has("mean_share") ? "mean_share" : "mean_btc_per_block", "give exactly one of mean_btc_per_block and mean_share");
          StochasticFees::Params q;
          q.mean_btc_per_block = optional_number(p, "mean_btc_per_block").value_or(0.0);
          q.mean_share = optional_number(p, "mean_share").value_or(-1.0);
          q.log_vol = p.number("log_vol");
          q.spike_rate_per_year = p.number("spike.rate_per_year");
          q.spike_multiplier = p.number("spike.multiplier");
          q.spike_blocks = p.integer("spike.blocks");
          return std::make_unique<StochasticFees>(q);
        });
  r.add({"csv", "replay of fees from a date,value file: BTC per block, or BTC per day spread over 144 blocks",
         replay_specs({ParamSpec::string("per", "what a value is: fees of one block (BTC), or of a day (BTC, over 144 blocks)")
                            .defaults("block")
                            .one_of({"block", "day"})})},
        [](const Params& p) {
          return std::make_unique<CsvFees>(load_replay(p, true), p.context().epoch_unix_s, p.string("per") == "day" ? 144.0 : 1.0);
        });
}

void register_pools(sim::config::Registry<PoolPayout>& r) {
  r.add({"fpps", "full pay-per-share: expected value of the hashes, paid continuously, less the pool fee",
         {ParamSpec::number("fee", "", "pool fee as a fraction of the reward").defaults("0.02").at_least(0).at_most(1)}},
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
