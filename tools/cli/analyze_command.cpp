#include "tools/cli/analyze_command.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <optional>
#include <span>

#include <fmt/format.h>

#include "sim/config/errors.hpp"
#include "sim/output/hdf5_file.hpp"
#include "sim/output/output_file.hpp"
#include "sim/sweep/sensitivity.hpp"
#include "sim/sweep/sobol_sweep_reader.hpp"

namespace hybridsim::tools {

namespace h5 = sim::output::hdf5;

CLI::App* add_analyze_command(CLI::App& app, AnalyzeCommandOptions& o) {
  o.seed = sweep::BootstrapOptions::kDefaultSeed;
  auto* sub = app.add_subcommand(
      "analyze", "first- and total-order Sobol' indices of every summary metric of a sobol sweep, with bootstrap "
                 "confidence intervals");
  sub->add_option("sweep", o.sweep, "HDF5 file written by `hybridsim sweep` with `method: sobol`")->required();
  sub->add_option("-o,--output", o.output, "also write the indices to this HDF5 file (group `sensitivity`)");
  sub->add_option("--csv", o.csv, "also write the indices to this CSV file");
  sub->add_option("--resamples", o.resamples, "bootstrap resamples (default 1000)")->check(CLI::Range(100, 100000));
  sub->add_option("--seed", o.seed,
                  fmt::format("seed of the bootstrap resamples (default {})", sweep::BootstrapOptions::kDefaultSeed));
  return sub;
}

namespace {

using sweep::SobolIndices;
using sweep::SobolSweep;

constexpr double kConfidence = 0.95;

std::string number(double x) { return std::isfinite(x) ? fmt::format("{:6.3f}", x) : "   n/a"; }

std::string interval(double estimate, double low, double high) {
  return number(estimate) + " [" + number(low) + ", " + number(high) + "]";
}

void print_table(const SobolSweep& s, const std::vector<SobolIndices>& indices, const sweep::BootstrapOptions& boot) {
  const auto& l = s.layout;
  fmt::print("Sobol' indices of {}: {} samples x {} parameters, {} members ({} replication{} averaged per point)\n",
             s.title.empty() ? "the sweep" : s.title, l.samples, l.parameters, l.runs.size(), l.replications,
             l.replications == 1 ? "" : "s");
  fmt::print("S1 first order (Saltelli 2010), ST total order (Jansen 1999); [{:.0f}% bootstrap interval, {} resamples, "
             "seed {}]\n",
             100 * kConfidence, boot.resamples, boot.seed);
  std::size_t metric_width = 6, parameter_width = 9;
  for (const auto& m : s.metrics) metric_width = std::max(metric_width, m.key.size());
  for (const auto& p : s.parameters) parameter_width = std::max(parameter_width, p.key.size());
  fmt::print("{:<{}}  {:<{}}  {:<23}  {}\n", "metric", metric_width, "parameter", parameter_width, "S1 [lo, hi]",
             "ST [lo, hi]");
  for (std::size_t m = 0; m < s.metrics.size(); ++m) {
    const auto& r = indices[m];
    if (!r.undefined.empty()) {
      fmt::print("{:<{}}  {:<{}}  undefined: {}\n", s.metrics[m].key, metric_width, "(every parameter)",
                 parameter_width, r.undefined);
      continue;
    }
    for (std::size_t i = 0; i < s.parameters.size(); ++i) {
      const auto k = static_cast<Eigen::Index>(i);
      fmt::print("{:<{}}  {:<{}}  {}  {}\n", s.metrics[m].key, metric_width, s.parameters[i].key, parameter_width,
                 interval(r.first[k], r.first_low[k], r.first_high[k]),
                 interval(r.total[k], r.total_low[k], r.total_high[k]));
    }
    if (r.degenerate_resamples > 0)
      fmt::print("{:<{}}  note: {} of {} resamples had no variance and were left out of its intervals; the metric "
                 "rarely moves, so do not trust them\n",
                 s.metrics[m].key, metric_width, r.degenerate_resamples, boot.resamples);
  }
}

std::string csv_text(const SobolSweep& s, const std::vector<SobolIndices>& indices) {
  std::string out = "metric,parameter,S1,S1_low,S1_high,ST,ST_low,ST_high,status\n";
  for (std::size_t m = 0; m < s.metrics.size(); ++m) {
    const auto& r = indices[m];
    for (std::size_t i = 0; i < s.parameters.size(); ++i) {
      const auto k = static_cast<Eigen::Index>(i);
      out += s.metrics[m].key + "," + s.parameters[i].key + ",";
      // Undefined indices are empty fields, never a number.
      if (r.undefined.empty()) {
        for (const double x : {r.first[k], r.first_low[k], r.first_high[k], r.total[k], r.total_low[k], r.total_high[k]})
          out += std::isfinite(x) ? fmt::format("{},", x) : ",";
        out += r.degenerate_resamples == 0
                   ? "ok\n"
                   : fmt::format("\"ok; {} resamples without variance left out of the intervals\"\n",
                                 r.degenerate_resamples);
      }
      else
        out += ",,,,,,\"undefined: " + r.undefined + "\"\n";
    }
  }
  return out;
}

std::vector<char> hdf5_image(const SobolSweep& s, const std::vector<SobolIndices>& indices,
                             const sweep::BootstrapOptions& boot, const std::string& source) {
  const h5::ErrorSilencer silencer;
  const auto file = h5::create_memory_file("sensitivity");
  const auto group = h5::create_group(file.get(), "sensitivity");
  const hid_t g = group.get();
  const auto var = [](std::string name, std::string units, std::string long_name) {
    sim::output::VariableInfo v;
    v.name = std::move(name);
    v.units = std::move(units);
    v.long_name = std::move(long_name);
    return v;
  };
  h5::write_attribute(g, "long_name", std::string_view("first- and total-order Sobol' indices of the summary metrics"));
  h5::write_attribute(g, "source", std::string_view(source));
  h5::write_attribute(g, "sweep_title", std::string_view(s.title));
  h5::write_attribute(g, "first_order_estimator",
                      std::string_view("Saltelli et al. (2010), Comput. Phys. Commun. 181:259-270: "
                                       "V_i = mean(f_B (f_AB^i - f_A))"));
  h5::write_attribute(g, "total_order_estimator",
                      std::string_view("Jansen (1999), Comput. Phys. Commun. 117:35-43: VT_i = mean((f_A - f_AB^i)^2)/2"));
  h5::write_attribute(g, "samples", s.layout.samples);
  h5::write_attribute(g, "replications", s.layout.replications);
  h5::write_attribute(g, "replication_handling", std::string_view("mean over replications per design point"));
  h5::write_attribute(g, "bootstrap_resamples", static_cast<std::int64_t>(boot.resamples));
  h5::write_attribute(g, "bootstrap_seed", boot.seed);
  h5::write_attribute(g, "confidence", boot.confidence);

  std::vector<std::string> metrics, parameters, status;
  std::vector<double> mean, variance;
  for (const auto& m : s.metrics) metrics.push_back(m.key);
  for (const auto& p : s.parameters) parameters.push_back(p.key);
  const auto metric_scale = h5::write_coordinate(g, var("metric", "", "summary metric"), metrics);
  const auto parameter_scale = h5::write_coordinate(g, var("parameter", "", "swept key"), parameters);
  const std::size_t nm = metrics.size(), np = parameters.size();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::vector<double>> fields(6, std::vector<double>(nm * np, nan));
  for (std::size_t m = 0; m < nm; ++m) {
    const auto& r = indices[m];
    status.push_back(r.undefined.empty() ? "ok" : "undefined: " + r.undefined);
    mean.push_back(r.undefined.empty() ? r.mean : nan);
    variance.push_back(r.undefined.empty() ? r.variance : nan);
    if (!r.undefined.empty()) continue;
    for (std::size_t i = 0; i < np; ++i) {
      const auto k = static_cast<Eigen::Index>(i);
      const double values[6] = {r.first[k], r.first_low[k], r.first_high[k], r.total[k], r.total_low[k], r.total_high[k]};
      for (int f = 0; f < 6; ++f) fields[static_cast<std::size_t>(f)][m * np + i] = values[f];
    }
  }
  const char* names[6] = {"S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"};
  const char* long_names[6] = {"first-order Sobol' index",      "first-order index, lower bound of the interval",
                               "first-order index, upper bound of the interval", "total-order Sobol' index",
                               "total-order index, lower bound of the interval", "total-order index, upper bound of the interval"};
  const hsize_t dims2[] = {nm, np};
  const hid_t scales2[] = {metric_scale.get(), parameter_scale.get()};
  for (int f = 0; f < 6; ++f)
    h5::write_variable(g, var(names[f], "1", long_names[f]), dims2, scales2, fields[static_cast<std::size_t>(f)]);
  const hsize_t dims1[] = {nm};
  const hid_t scales1[] = {metric_scale.get()};
  h5::write_variable(g, var("mean", "", "mean of the metric over A and B (replications averaged)"), dims1, scales1, mean);
  h5::write_variable(g, var("variance", "", "variance of the metric over A and B (replications averaged)"), dims1,
                     scales1, variance);
  h5::write_variable(g, var("status", "", "ok, or why the metric's indices are undefined (then they are NaN)"), dims1,
                     scales1, status);
  return h5::file_image(file.get());
}

}  // namespace

int run_analyze_command(const AnalyzeCommandOptions& o) {
  const std::filesystem::path source = o.sweep;
  const SobolSweep s = sweep::read_sobol_sweep(source);
  // Outputs are checked (and their temporaries reserved) before the work; neither may be the
  // sweep file. Each is written whole and renamed into place.
  const auto same_file = [](const std::filesystem::path& a, const std::filesystem::path& b) {
    std::error_code ec;
    return a == b || std::filesystem::equivalent(a, b, ec);
  };
  for (const auto& [flag, path] : {std::pair{"-o", o.output}, std::pair{"--csv", o.csv}})
    if (!path.empty() && same_file(path, source))
      throw sim::config::ScenarioError(sim::config::Location{std::string(flag) + " " + path},
                                       "is the sweep being analysed; analyze only reads the sweep file, write the "
                                       "indices to another file");
  if (!o.output.empty() && same_file(o.output, o.csv))
    throw sim::config::ScenarioError(sim::config::Location{"--csv " + o.csv},
                                     "is also the -o file; give the CSV and the HDF5 file different names");
  std::optional<sim::output::OutputFile> h5_out, csv_out;
  if (!o.output.empty()) h5_out.emplace(o.output, source);
  if (!o.csv.empty()) csv_out.emplace(o.csv, source);

  std::vector<sweep::SaltelliOutputs> outputs;
  for (const auto& m : s.metrics) outputs.push_back(sweep::arrange(s.layout, m.values));
  sweep::BootstrapOptions boot;
  boot.resamples = o.resamples;
  boot.seed = o.seed;
  boot.confidence = kConfidence;
  const auto indices = sweep::sobol_indices(outputs, boot);

  print_table(s, indices, boot);
  if (h5_out) {
    const auto image = hdf5_image(s, indices, boot, source.string());
    h5_out->commit(image);
  }
  if (csv_out) {
    const std::string text = csv_text(s, indices);
    csv_out->commit(std::span<const char>(text.data(), text.size()));
  }
  return 0;
}

}  // namespace hybridsim::tools
