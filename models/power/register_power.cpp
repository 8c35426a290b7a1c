#include <algorithm>
#include <any>
#include <array>
#include <cmath>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/power/csv_power_price.hpp"
#include "models/power/fixed_price.hpp"
#include "models/power/ou_spot_price.hpp"
#include "models/power/power_catalogue.hpp"
#include "models/power/ppa_price.hpp"
#include "models/power/time_of_use_price.hpp"

namespace hybridsim::models::power {

using sim::config::ParamSpec;
using sim::config::Params;
using Registry = sim::config::Registry<sim::PowerPriceModel>;

namespace {

// Constructors report bad parameters as std::invalid_argument("key: what is wrong"); this
// turns them into ScenarioErrors located at that key.
template <typename Make>
std::unique_ptr<sim::PowerPriceModel> located(const Params& p, Make make) {
  try {
    return make();
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    const auto colon = what.find(": ");
    if (colon == std::string::npos) p.fail("model", what);
    p.fail(what.substr(0, colon), what.substr(colon + 2));
  }
}

template <std::size_t N>
std::array<double, N> fixed_list(const Params& p, const char* name, const char* what) {
  const std::vector<double>& v = p.numbers(name);
  if (v.size() != N)
    p.fail(name, std::to_string(v.size()) + " numbers; expected " + std::to_string(N) + ", " + what);
  std::array<double, N> out{};
  std::copy(v.begin(), v.end(), out.begin());
  return out;
}

std::unique_ptr<sim::PowerPriceModel> make_time_of_use(const Params& p) {
  TimeOfUsePrice::Params q;
  constexpr const char* kHours = "one per hour of the local day from 00:00";
  const bool every_day = p.has("usd_per_mwh");
  if (!every_day && !(p.has("weekday_usd_per_mwh") && p.has("weekend_usd_per_mwh")))
    p.fail("usd_per_mwh", "missing; give usd_per_mwh (24 numbers), or both weekday_usd_per_mwh and weekend_usd_per_mwh");
  if (every_day) q.weekday_usd_per_mwh = q.weekend_usd_per_mwh = fixed_list<24>(p, "usd_per_mwh", kHours);
  if (p.has("weekday_usd_per_mwh")) q.weekday_usd_per_mwh = fixed_list<24>(p, "weekday_usd_per_mwh", kHours);
  if (p.has("weekend_usd_per_mwh")) q.weekend_usd_per_mwh = fixed_list<24>(p, "weekend_usd_per_mwh", kHours);
  if (p.has("monthly_multiplier")) q.monthly_multiplier = fixed_list<12>(p, "monthly_multiplier", "one per month from January");
  const double offset_h = p.number("utc_offset_hours");
  if (std::abs(offset_h * 4 - std::round(offset_h * 4)) > 1e-9)
    p.fail("utc_offset_hours", "must be a whole number of quarter hours (e.g. -6, 5.5, 5.75)");
  q.utc_offset_s = std::llround(offset_h * 3600.0);
  q.epoch_unix_s = p.context().epoch_unix_s;
  return located(p, [&] { return std::make_unique<TimeOfUsePrice>(q); });
}

std::unique_ptr<sim::PowerPriceModel> make_ou_spot(const Params& p) {
  OuSpotPrice::Params q;
  q.mean_usd_per_mwh = p.number("mean_usd_per_mwh");
  q.reversion_per_day = p.number("reversion_per_day");
  q.stationary_sd_usd_per_mwh = p.number("stationary_sd_usd_per_mwh");
  q.initial_usd_per_mwh = p.has("initial_usd_per_mwh") ? p.number("initial_usd_per_mwh") : q.mean_usd_per_mwh;
  q.step_s = p.duration_s("step");
  q.spike_rate_per_year = p.number("spike.rate_per_year");
  q.spike_duration_s = p.duration_s("spike.duration");
  q.spike_mean_usd_per_mwh = p.number("spike.mean_usd_per_mwh");
  q.floor_usd_per_mwh = p.number("floor_usd_per_mwh");
  q.cap_usd_per_mwh = p.number("cap_usd_per_mwh");
  return located(p, [&] { return std::make_unique<OuSpotPrice>(q); });
}

std::unique_ptr<sim::PowerPriceModel> make_csv(const Params& p) {
  std::filesystem::path file(p.string("path"));
  if (file.is_relative() && !p.context().scenario_dir.empty()) file = std::filesystem::path(p.context().scenario_dir) / file;
  sim::config::CsvOptions options;
  options.value_column = p.has("column") ? p.string("column") : "";
  options.date_column = p.has("date_column") ? p.string("date_column") : "";
  options.interpolation =
      p.string("interpolation") == "linear" ? sim::config::Interpolation::kLinear : sim::config::Interpolation::kStep;
  options.spacing = sim::config::Spacing::kInferred;
  sim::config::CsvSeries s = [&] {
    try {
      return sim::config::CsvSeries::load(file.string(), options);
    } catch (const sim::config::CsvError& e) {
      p.fail("path", e.what());
    }
  }();
  return located(p, [&] { return std::make_unique<CsvPowerPrice>(std::move(s), p.context().epoch_unix_s); });
}

// What a PPA's `spot` key holds once read: the chosen model, and the registry its entry
// lives in (kept alive with it, so the choice never points into a registry that is gone).
struct SpotChoice {
  std::shared_ptr<const Registry> registry;
  sim::config::ModelChoice<sim::PowerPriceModel> choice;
};

}  // namespace

void register_power_models(PowerCatalogue& c) {
  Registry& r = c.power_price;
  r.add({"fixed", "a fixed-price contract: p(t) = price_usd_per_mwh",
         {ParamSpec::number("price_usd_per_mwh", "USD/MWh", "energy price, all-in")}},
        [](const Params& p) { return std::make_unique<FixedPrice>(p.number("price_usd_per_mwh")); });

  r.add({"time_of_use", "a tariff by hour of the local day (weekday/weekend tables), times a monthly multiplier",
         {ParamSpec::numbers("usd_per_mwh", "USD/MWh", "24 prices, local hours 00–23, every day (unless weekday/weekend tables replace it)").optional(),
          ParamSpec::numbers("weekday_usd_per_mwh", "USD/MWh", "24 prices for Monday–Friday (overrides usd_per_mwh)").optional(),
          ParamSpec::numbers("weekend_usd_per_mwh", "USD/MWh", "24 prices for Saturday and Sunday (overrides usd_per_mwh)").optional(),
          ParamSpec::numbers("monthly_multiplier", "", "12 factors, January first, multiplying the hourly price (default all 1)").at_least(0).optional(),
          ParamSpec::number("utc_offset_hours", "h", "local clock − UTC, fixed (no daylight saving); −6 for US Central Standard Time")
              .defaults(0.0)
              .at_least(-12)
              .at_most(14)}},
        make_time_of_use);

  r.add({"ou_spot", "mean-reverting (Ornstein–Uhlenbeck) spot price with Poisson spikes, a floor and a cap; ERCOT-like defaults",
         {ParamSpec::number("mean_usd_per_mwh", "USD/MWh", "μ: long-run level (assumption, between ERCOT real-time averages 2015–2023)").defaults(40.0),
          ParamSpec::number("reversion_per_day", "1/day", "κ: speed of mean reversion (half-life ln2/κ)").defaults(2.0).above(0),
          ParamSpec::number("stationary_sd_usd_per_mwh", "USD/MWh", "s: standard deviation of the stationary level (σ = s·√(2κ))").defaults(15.0).at_least(0),
          ParamSpec::number("initial_usd_per_mwh", "USD/MWh", "level at the start (default: μ)").optional(),
          ParamSpec::duration("step", "Δ: how often the level moves").defaults("1h"),
          ParamSpec::number("spike.rate_per_year", "1/year", "λ: spike arrivals a year").defaults(8.0).at_least(0),
          ParamSpec::duration("spike.duration", "D: how long a spike lasts").defaults("3h"),
          ParamSpec::number("spike.mean_usd_per_mwh", "USD/MWh", "j: mean spike size (exponential), added to the level").defaults(1000.0).at_least(0),
          ParamSpec::number("floor_usd_per_mwh", "USD/MWh", "lowest billed price (negative: the grid pays)").defaults(-20.0),
          ParamSpec::number("cap_usd_per_mwh", "USD/MWh", "highest billed price (ERCOT's offer cap)").defaults(5000.0)}},
        make_ou_spot);

  r.add({"csv", "replay of settled prices (hourly, 15-minute, ...) from a CSV file, each held until the next row",
         {ParamSpec::string("path", "CSV file with a date and a price column (USD/MWh), relative to the scenario's folder"),
          ParamSpec::string("column", "header name of the price column (default: the second column)").optional(),
          ParamSpec::string("date_column", "header name of the date column (default: the first column)").optional(),
          ParamSpec::string("interpolation", "between rows: step (each settled price held until the next row), or linear")
              .defaults("step")
              .one_of({"step", "linear"})}},
        make_csv);

  // The spot models a PPA may nest: every model registered so far (a PPA of a PPA is not one).
  // A snapshot, shared by every reading, so choices never dangle whatever happens to `c`.
  const auto spot_models = std::make_shared<const Registry>(r);
  r.add({"ppa", "a fixed block at a contract price, the rest (or the unused block, sold back) at a nested spot model",
         {ParamSpec::number("block_mw", "MW", "B: energy bought every hour at the contract price").at_least(0),
          ParamSpec::number("contract_usd_per_mwh", "USD/MWh", "c: the contract price of the block"),
          ParamSpec::nested("spot", "the spot price model, {model: NAME, ...}: one of " + sim::config::join(spot_models->names()),
                            [spot_models](const sim::config::Document& doc, const YAML::Node& map, const std::string& path,
                                          const sim::config::BuildContext& ctx) {
                              return std::any(SpotChoice{spot_models, sim::config::read_model(doc, map, path, *spot_models, ctx)});
                            })}},
        [](const Params& p) {
          const auto& spot = p.nested<SpotChoice>("spot");
          return located(p, [&] {
            return std::make_unique<PpaPrice>(p.number("block_mw"), p.number("contract_usd_per_mwh"), spot.choice.make());
          });
        });
}

}  // namespace hybridsim::models::power
