#include "sweep/sobol_sweep_reader.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/config/errors.hpp"
#include "sim/output/hdf5_file.hpp"

namespace hybridsim::sweep {

namespace h5 = sim::output::hdf5;
using h5::check;
using h5::Handle;
using sim::config::Location;
using sim::config::ScenarioError;

namespace {

bool exists(hid_t loc, const std::string& name) { return H5Lexists(loc, name.c_str(), H5P_DEFAULT) > 0; }

std::string string_attribute(hid_t obj, const std::string& name) {
  if (H5Aexists(obj, name.c_str()) <= 0) return {};
  const Handle a(check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "H5Aopen '" + name + "'"), H5Aclose);
  const Handle file_type(check(H5Aget_type(a.get()), "H5Aget_type"), H5Tclose);
  if (H5Tget_class(file_type.get()) != H5T_STRING || H5Tis_variable_str(file_type.get()) <= 0) return {};
  const auto type = h5::string_type();
  char* text = nullptr;
  check(H5Aread(a.get(), type.get(), &text), "H5Aread '" + name + "'");
  std::string out = text ? text : "";
  H5free_memory(text);
  return out;
}

std::int64_t int_attribute(hid_t obj, const std::string& name, std::int64_t fallback) {
  if (H5Aexists(obj, name.c_str()) <= 0) return fallback;
  const Handle a(check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "H5Aopen '" + name + "'"), H5Aclose);
  std::int64_t v = fallback;
  check(H5Aread(a.get(), H5T_NATIVE_INT64, &v), "H5Aread '" + name + "'");
  return v;
}

Handle open_dataset(hid_t loc, const std::string& name) {
  return Handle(check(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), "H5Dopen2 '" + name + "'"), H5Dclose);
}

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

/// The names of the links in group `loc`, in creation order (the order they were written).
std::vector<std::string> links_in_order(hid_t loc) {
  H5G_info_t info{};
  check(H5Gget_info(loc, &info), "H5Gget_info");
  const H5_index_t index = info.max_corder > 0 ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
  std::vector<std::string> out;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const auto size = H5Lget_name_by_idx(loc, ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    std::string name(static_cast<std::size_t>(check(size, "H5Lget_name_by_idx")) + 1, '\0');
    H5Lget_name_by_idx(loc, ".", index, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT);
    name.resize(static_cast<std::size_t>(size));
    out.push_back(name);
  }
  return out;
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
  if (string_attribute(root, "sweep_hash").empty() || !exists(root, "params") || !exists(root, "summary") ||
      !exists(root, "done"))
    throw ScenarioError(where, "not a hybridsim sweep (no sweep_hash attribute, or no params, summary or done); " +
                                   accepted);
  const std::string method = string_attribute(root, "sweep_method");
  if (method != "sobol")
    throw ScenarioError(where, "analyze needs a sobol sweep; this one is " + (method.empty() ? "of unknown method" : method) +
                                   " (Sobol' indices need Saltelli's design: `method: sobol` in the sweep block)");

  SobolSweep out;
  out.title = string_attribute(root, "title");
  const auto done = read_column<std::uint8_t>(open_dataset(root, "done").get(), H5T_NATIVE_UINT8);
  const auto missing = std::count(done.begin(), done.end(), std::uint8_t{0});
  if (missing > 0)
    throw ScenarioError(where, fmt::format("the sweep is incomplete: {} of its {} members are missing; finish it by "
                                           "running the same `hybridsim sweep` command with --resume, then analyze again",
                                           missing, done.size()));

  const Handle params(check(H5Gopen2(root, "params", H5P_DEFAULT), "H5Gopen2 params"), H5Gclose);
  for (const char* column : {"sobol_block", "sobol_sample", "replication"})
    if (!exists(params.get(), column))
      throw ScenarioError(where, std::string("params/") + column + " is missing; " + accepted);
  // The swept keys are the member-table columns carrying `key_path`, written in design order.
  for (const auto& name : links_in_order(params.get())) {
    const auto d = open_dataset(params.get(), name);
    const std::string key = string_attribute(d.get(), "key_path");
    if (!key.empty()) out.parameters.push_back({key, string_attribute(d.get(), "units")});
  }
  const auto ints = [&](const char* name) {
    return read_column<std::int64_t>(open_dataset(params.get(), name).get(), H5T_NATIVE_INT64);
  };
  const auto block = ints("sobol_block"), sample = ints("sobol_sample"), replication = ints("replication");
  if (block.size() != done.size())
    throw ScenarioError(where, "params/sobol_block has another length than done; " + accepted);
  const std::int64_t replications = int_attribute(root, "replications", 1);
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
  for (const auto& name : links_in_order(summary.get())) {
    if (name == "run") continue;
    const auto d = open_dataset(summary.get(), name);
    const auto values = read_column<double>(d.get(), H5T_NATIVE_DOUBLE);
    if (values.size() != done.size()) continue;  // not a per-member figure
    out.metrics.push_back({name, string_attribute(d.get(), "units"), string_attribute(d.get(), "long_name"),
                           Eigen::Map<const Eigen::VectorXd>(values.data(), static_cast<Eigen::Index>(values.size()))});
  }
  if (out.metrics.empty()) throw ScenarioError(where, "the sweep has no summary metrics to analyse");
  return out;
}

}  // namespace hybridsim::sweep
