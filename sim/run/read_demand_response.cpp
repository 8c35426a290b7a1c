#include "sim/run/read_demand_response.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "sim/config/csv_series.hpp"

namespace hybridsim::sim {

using config::ParamSpec;
using config::ScenarioError;

const std::vector<ParamSpec>& dr_program_params() {
  static const std::vector<ParamSpec> specs{
      ParamSpec::string("name", "program name, e.g. ERS or a utility's curtailment program"),
      ParamSpec::number("credit_usd_per_mwh", "USD/MWh", "paid per MWh drawn below the baseline during an event")
          .at_least(0),
      ParamSpec::number("price_above_usd_per_mwh", "USD/MWh",
                        "an event runs while the power price is above this (a price trigger)")
          .optional(),
  };
  return specs;
}

const std::vector<ParamSpec>& dr_event_params() {
  static const std::vector<ParamSpec> specs{
      ParamSpec::date("start", "when the event starts (UTC)"),
      ParamSpec::duration("duration", "how long it lasts"),
  };
  return specs;
}

const std::vector<ParamSpec>& coincident_peak_params() {
  static const std::vector<ParamSpec> specs{
      ParamSpec::number("rate_usd_per_mw_year", "USD/(MW·year)",
                        "transmission charge per MW of mean draw in the four coincident peaks")
          .at_least(0),
      ParamSpec::duration("interval", "length of a peak interval (ERCOT: 15 minutes)").defaults("15m"),
      ParamSpec::strings("peaks", "starts of the peak intervals (UTC dates)").optional(),
      ParamSpec::string("peaks_csv", "a CSV of the peak interval starts (first column; other columns ignored)").optional(),
      ParamSpec::numbers("predict.months", "", "months in which peaks are predicted (1–12)").optional(),
      ParamSpec::numbers("predict.hours", "h", "local hours in which peaks are predicted (0–23)").optional(),
      ParamSpec::number("predict.utc_offset_hours", "h", "local clock of the prediction (ERCOT summer: −5)")
          .at_least(-12)
          .at_most(14)
          .defaults(0.0),
      ParamSpec::boolean("predict.weekdays_only", "predict peaks on weekdays only").defaults("true"),
      ParamSpec::number("predict.avoid_value_usd_per_mwh", "USD/MWh",
                        "added to the power price in predicted windows (default: rate / predicted hours per year)")
          .at_least(0)
          .optional(),
  };
  return specs;
}

namespace {

std::vector<int> whole_numbers(const config::Params& p, const std::string& key, int lo, int hi) {
  std::vector<int> out;
  for (double v : p.numbers(key)) {
    if (v != std::floor(v) || v < lo || v > hi)
      p.fail(key, "expected whole numbers from " + std::to_string(lo) + " to " + std::to_string(hi));
    out.push_back(static_cast<int>(v));
  }
  return out;
}

CoincidentPeaks read_peaks(const config::Document& doc, const YAML::Node& node, const config::BuildContext& ctx) {
  const auto p = config::read_params(doc, node, "facility.demand_response.coincident_peaks", coincident_peak_params(), ctx);
  CoincidentPeaks cp;
  cp.rate_usd_per_mw_year = p.number("rate_usd_per_mw_year");
  cp.interval_s = p.duration_s("interval");
  if (p.has("peaks")) {
    for (const auto& text : p.strings("peaks")) {
      const auto unix_s = parse_utc(text);
      if (!unix_s) p.fail("peaks", "'" + text + "' is not a date; expected e.g. 2024-08-20T21:45:00Z");
      cp.peak_starts_s.push_back(*unix_s - ctx.epoch_unix_s);
    }
  }
  if (p.has("peaks_csv")) {
    std::filesystem::path file(p.string("peaks_csv"));
    if (file.is_relative()) file = std::filesystem::path(ctx.scenario_dir) / file;
    try {
      config::CsvOptions options;
      options.interpolation = config::Interpolation::kStep;
      options.dates_only = true;
      const auto series = config::CsvSeries::load(file.string(), options);
      for (const auto& row : series.points()) cp.peak_starts_s.push_back(row.unix_s - ctx.epoch_unix_s);
    } catch (const config::CsvError& e) {
      p.fail("peaks_csv", e.what());
    }
  }
  if (!std::is_sorted(cp.peak_starts_s.begin(), cp.peak_starts_s.end()) ||
      std::adjacent_find(cp.peak_starts_s.begin(), cp.peak_starts_s.end()) != cp.peak_starts_s.end())
    p.fail(p.has("peaks") ? "peaks" : "peaks_csv", "peak intervals must be in increasing time order, each once");
  for (std::size_t i = 1; i < cp.peak_starts_s.size(); ++i)
    if (cp.peak_starts_s[i] < cp.peak_starts_s[i - 1] + cp.interval_s)
      p.fail(p.has("peaks") ? "peaks" : "peaks_csv", "peak intervals overlap; each lasts `interval`");
  if (p.has("predict.months") != p.has("predict.hours"))
    p.fail(p.has("predict.months") ? "predict.months" : "predict.hours",
           "a prediction needs both predict.months and predict.hours");
  if (p.has("predict.months")) {
    cp.predict_months = whole_numbers(p, "predict.months", 1, 12);
    cp.predict_hours = whole_numbers(p, "predict.hours", 0, 23);
    cp.utc_offset_hours = p.number("predict.utc_offset_hours");
    if (cp.utc_offset_hours * 4 != std::floor(cp.utc_offset_hours * 4))
      p.fail("predict.utc_offset_hours", "expected whole quarter hours, e.g. -5 or 5.5");
    cp.weekdays_only = p.boolean("predict.weekdays_only");
    // Hours a year the rule covers: months × their days (weekdays ≈ 5/7 of them) × hours.
    static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    double days = 0;
    for (int m : cp.predict_months) days += kDays[m - 1];
    if (cp.weekdays_only) days *= 5.0 / 7.0;
    const double hours = days * static_cast<double>(cp.predict_hours.size());
    cp.avoid_value_usd_per_mwh = p.has("predict.avoid_value_usd_per_mwh") ? p.number("predict.avoid_value_usd_per_mwh")
                                 : hours > 0                            ? cp.rate_usd_per_mw_year / hours
                                                                        : 0.0;
  } else if (p.has("predict.avoid_value_usd_per_mwh")) {
    p.fail("predict.avoid_value_usd_per_mwh", "needs predict.months and predict.hours");
  }
  if (cp.peak_starts_s.empty() && cp.predict_months.empty())
    throw ScenarioError(doc.locate(node), "facility.demand_response.coincident_peaks: give the peaks (peaks or "
                                          "peaks_csv) and/or a prediction rule (predict.months, predict.hours)");
  return cp;
}

}  // namespace

std::optional<DemandResponseSpec> read_demand_response(const config::Document& doc, const YAML::Node& facility,
                                                       const config::BuildContext& ctx) {
  const YAML::Node dr = facility["demand_response"];
  if (!dr.IsDefined() || dr.IsNull()) return std::nullopt;
  const std::string path = "facility.demand_response";
  if (!dr.IsMap())
    throw ScenarioError(doc.locate(dr), path + ": expected a map with `programs` and/or `coincident_peaks`, got " +
                                            config::describe(dr));
  config::read_params(doc, dr, path, {}, ctx, {"programs", "coincident_peaks"});
  DemandResponseSpec spec;
  const YAML::Node programs = dr["programs"];
  if (programs.IsDefined() && !programs.IsNull()) {
    if (!programs.IsSequence())
      throw ScenarioError(doc.locate(programs), path + ".programs: expected a list of programs, got " +
                                                    config::describe(programs));
    for (std::size_t i = 0; i < programs.size(); ++i) {
      const std::string at = path + ".programs[" + std::to_string(i) + "]";
      const auto p = config::read_params(doc, programs[i], at, dr_program_params(), ctx, {"events"});
      DemandResponseProgram prog;
      prog.name = p.string("name");
      prog.credit_usd_per_mwh = p.number("credit_usd_per_mwh");
      if (p.has("price_above_usd_per_mwh")) prog.price_above_usd_per_mwh = p.number("price_above_usd_per_mwh");
      const YAML::Node events = programs[i]["events"];
      if (events.IsDefined() && !events.IsNull()) {
        if (!events.IsSequence())
          throw ScenarioError(doc.locate(events), at + ".events: expected a list like [{start: 2023-08-24T20:00:00Z, "
                                                       "duration: 2h}], got " + config::describe(events));
        for (std::size_t e = 0; e < events.size(); ++e) {
          const auto ev = config::read_params(doc, events[e], at + ".events[" + std::to_string(e) + "]",
                                              dr_event_params(), ctx);
          const SimTime start = ev.date_s("start");
          prog.windows.push_back({start, start + ev.duration_s("duration")});
        }
      }
      if (prog.windows.empty() && !prog.price_above_usd_per_mwh)
        p.fail("name", "program '" + prog.name + "' has no trigger; give `events: [{start, duration}, ...]` and/or "
                       "`price_above_usd_per_mwh`");
      for (const auto& other : spec.programs)
        if (other.name == prog.name) p.fail("name", "program '" + prog.name + "' is defined twice");
      spec.programs.push_back(std::move(prog));
    }
  }
  const YAML::Node peaks = dr["coincident_peaks"];
  if (peaks.IsDefined() && !peaks.IsNull()) spec.peaks = read_peaks(doc, peaks, ctx);
  return spec;
}

}  // namespace hybridsim::sim
