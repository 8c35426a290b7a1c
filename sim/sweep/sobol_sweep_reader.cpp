#include "sim/sweep/sobol_sweep_reader.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/config/errors.hpp"
#include "sim/output/hdf5_file.hpp"

namespace hybridsim::sweep {

namespace h5 = sim::output::hdf5;
using h5::check;
using h5::Handle;
using h5::open_dataset;
using sim::config::Location;
using sim::config::ScenarioError;

namespace {

hsize_t length(hid_t dataset) {
  const Handle space(check(H5Dget_space(dataset), "H5Dget_space"), H5Sclose);
  if (H5Sget_simple_extent_ndims(space.get()) != 1) return 0;
  hsize_t dims[1] = {0};
  check(H5Sget_simple_extent_dims(space.get(), dims, nullptr), "H5Sget_simple_extent_dims");
  return dims[0];
}

template <typename T>
std::vector<T> read_column(hid_t dataset, hid_t mem_type) {
  std::vector<T> v(length(dataset));
  if (!v.empty()) check(H5Dread(dataset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "H5Dread");
  return v;
}

}  // namespace

SobolSweep read_sobol_sweep(const std::filesystem::path& path) {
  const h5::ErrorSilencer silencer;
  const Location where{path.string()};
  const std::string accepted = "analyze reads a file written by `hybridsim sweep` with `method: sobol`";
  if (!std::filesystem::is_regular_file(path)) throw ScenarioError(where, "there is no such file; " + accepted);
  if (H5Fis_hdf5(path.c_str()) <= 0) throw ScenarioError(where, "not an HDF5 file; " + accepted);
  Handle file;
  try {
    file = h5::open_file(path);
  } catch (const h5::Error& e) {
    throw ScenarioError(where, std::string("cannot open the file (is a sweep still writing it?): ") + e.what());
  }
  const hid_t root = file.get();
  if (h5::read_string_attribute(root, "sweep_hash").empty() || !h5::link_exists(root, "params") || !h5::link_exists(root, "summary") ||
      !h5::link_exists(root, "done"))
    throw ScenarioError(where, "not a hybridsim sweep (no sweep_hash attribute, or no params, summary or done); " +
                                   accepted);
  const std::string method = h5::read_string_attribute(root, "sweep_method");
  if (method != "sobol")
    throw ScenarioError(where, "analyze needs a sobol sweep; this one is " + (method.empty() ? "of unknown method" : method) +
                                   " (Sobol' indices need Saltelli's design: `method: sobol` in the sweep block)");

  SobolSweep out;
  out.title = h5::read_string_attribute(root, "title");
  const auto done = read_column<std::uint8_t>(open_dataset(root, "done").get(), H5T_NATIVE_UINT8);
  const auto missing = std::count(done.begin(), done.end(), std::uint8_t{0});
  if (missing > 0)
    throw ScenarioError(where, fmt::format("the sweep is incomplete: {} of its {} members are missing; finish it by "
                                           "running the same `hybridsim sweep` command with --resume, then analyze again",
                                           missing, done.size()));

  const Handle params(check(H5Gopen2(root, "params", H5P_DEFAULT), "H5Gopen2 params"), H5Gclose);
  for (const char* column : {"sobol_block", "sobol_sample", "replication"})
    if (!h5::link_exists(params.get(), column))
      throw ScenarioError(where, std::string("params/") + column + " is missing; " + accepted);
  // The swept keys are the member-table columns carrying `key_path`, written in design order.
  for (const auto& name : h5::link_names(params.get())) {
    const auto d = open_dataset(params.get(), name);
    const std::string key = h5::read_string_attribute(d.get(), "key_path");
    if (!key.empty()) out.parameters.push_back({key, h5::read_string_attribute(d.get(), "units")});
  }
  const auto ints = [&](const char* name) {
    return read_column<std::int64_t>(open_dataset(params.get(), name).get(), H5T_NATIVE_INT64);
  };
  const auto block = ints("sobol_block"), sample = ints("sobol_sample"), replication = ints("replication");
  if (block.size() != done.size())
    throw ScenarioError(where, "params/sobol_block has another length than done; " + accepted);
  const std::int64_t replications = h5::read_int_attribute(root, "replications").value_or(1);
  try {
    out.layout = SaltelliLayout::from_columns(static_cast<int>(out.parameters.size()), replications, block, sample,
                                              replication);
  } catch (const std::invalid_argument& e) {
    throw ScenarioError(where, std::string("the member table is not Saltelli's design: ") + e.what());
  }

  if (out.layout.samples < 2)
    throw ScenarioError(where, "the sweep has 1 Saltelli sample; Sobol' indices need `samples: 2` or more (hundreds "
                               "for useful intervals)");

  const Handle summary(check(H5Gopen2(root, "summary", H5P_DEFAULT), "H5Gopen2 summary"), H5Gclose);
  for (const auto& name : h5::link_names(summary.get())) {
    if (name == "run") continue;
    const auto d = open_dataset(summary.get(), name);
    const auto values = read_column<double>(d.get(), H5T_NATIVE_DOUBLE);
    if (values.size() != done.size()) continue;  // not a per-member figure
    out.metrics.push_back({name, h5::read_string_attribute(d.get(), "units"), h5::read_string_attribute(d.get(), "long_name"),
                           Eigen::Map<const Eigen::VectorXd>(values.data(), static_cast<Eigen::Index>(values.size()))});
  }
  if (out.metrics.empty()) throw ScenarioError(where, "the sweep has no summary metrics to analyse");
  return out;
}

}  // namespace hybridsim::sweep
