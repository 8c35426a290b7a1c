#include "sim/output/hdf5_writer.hpp"

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <system_error>

#include "sim/output/hdf5_file.hpp"
#include "sim/output/output_file.hpp"

namespace hybridsim::sim::output {

namespace {

constexpr std::string_view time_name = "time";

// HDF5 treats '/' as a path separator and "." as the current group.
void check_name(const std::string& name, const std::string& what) {
  if (name.empty()) throw std::invalid_argument(what + " has an empty name");
  if (name.find('/') != std::string::npos || name == ".") {
    throw std::invalid_argument(what + " '" + name + "' is not a valid HDF5 name");
  }
}

// Names of datasets and groups share one namespace per group.
void claim_name(std::set<std::string>& names, const std::string& name, const std::string& what,
                const std::string& where) {
  check_name(name, what);
  if (!names.insert(name).second) {
    throw std::invalid_argument(what + " '" + name + "' clashes with another name in " + where);
  }
}

// The first series to use a dimension declares it (and claims its name for the coordinate);
// later ones must repeat its labels exactly, since the file holds one coordinate per name.
void validate_dimension(const Dimension& dimension, const std::string& series,
                        std::map<std::string, const Dimension*>& dimensions,
                        std::set<std::string>& root_names) {
  const std::string what = "dimension '" + dimension.name + "' of series '" + series + "'";
  const auto [known, first] = dimensions.emplace(dimension.name, &dimension);
  if (!first) {
    if (known->second->labels != dimension.labels) {
      throw std::invalid_argument(what + " has other labels than an earlier series gave it");
    }
    return;
  }
  claim_name(root_names, dimension.name, "dimension", "the root group");
  // Selecting by label (ds.sel(hall="mining")) needs each label to name one position.
  std::set<std::string> labels;
  for (const auto& label : dimension.labels) {
    if (!labels.insert(label).second) {
      throw std::invalid_argument(what + " has the label '" + label + "' twice");
    }
  }
}

}  // namespace

void validate_run_dataset(const RunDataset& data) {
  if (!data.time_units.starts_with("seconds since ")) {
    throw std::invalid_argument("time_units must read \"seconds since <epoch>\", got '" +
                                data.time_units + "'");
  }
  std::set<std::string> root_names{std::string(time_name)};
  std::map<std::string, const Dimension*> dimensions;
  for (const auto& column : data.series) {
    claim_name(root_names, column.info.name, "series", "the root group");
    std::size_t per_stamp = 1;
    if (column.second) {
      validate_dimension(*column.second, column.info.name, dimensions, root_names);
      per_stamp = column.second->labels.size();
    }
    if (hdf5::size_of(column.data) != data.time_s.size() * per_stamp) {
      throw std::invalid_argument(
          "series '" + column.info.name + "' has " + std::to_string(hdf5::size_of(column.data)) +
          " values but the time axis has " + std::to_string(data.time_s.size()) +
          (column.second ? " stamps of " + std::to_string(per_stamp) + " labels" : ""));
    }
  }
  for (const auto& table : data.tables) {
    claim_name(root_names, table.group, "table group", "the root group");
    const std::string where = "table '" + table.group + "'";
    std::set<std::string> names;
    claim_name(names, table.dimension, "dimension of " + where, where);
    const std::size_t rows = table.columns.empty() ? 0 : hdf5::size_of(table.columns[0].data);
    for (const auto& column : table.columns) {
      claim_name(names, column.info.name, "column of " + where, where);
      if (column.second) {
        throw std::invalid_argument("column '" + column.info.name + "' of " + where +
                                    " has a second dimension; table columns are 1-D");
      }
      if (hdf5::size_of(column.data) != rows) {
        throw std::invalid_argument("column '" + column.info.name + "' of " + where + " has " +
                                    std::to_string(hdf5::size_of(column.data)) +
                                    " values but column '" + table.columns[0].info.name +
                                    "' has " + std::to_string(rows));
      }
    }
  }
  std::set<std::string> attribute_names;
  for (const auto& [name, value] : data.attributes) {
    claim_name(attribute_names, name, "root attribute", "the root attributes");
  }
}

namespace {

ColumnData index_values(std::size_t rows) {
  std::vector<std::int64_t> index(rows);
  for (std::size_t i = 0; i < rows; ++i) index[i] = static_cast<std::int64_t>(i);
  return index;
}

void write_table(hid_t file, const Table& table) {
  const auto group = hdf5::create_group(file, table.group);
  hdf5::write_attribute(group.get(), "long_name", std::string_view(table.long_name));
  const std::size_t rows = table.columns.empty() ? 0 : hdf5::size_of(table.columns[0].data);
  const auto index = hdf5::write_coordinate(
      group.get(), {table.dimension, "1", table.dimension + " index", ""}, index_values(rows));
  const hsize_t dims[] = {rows};
  const hid_t scales[] = {index.get()};
  for (const auto& column : table.columns) {
    hdf5::write_variable(group.get(), column.info, dims, scales, column.data);
  }
}

// The coordinate of a label dimension: its labels as variable-length UTF-8 strings, made the
// dimension's scale. No `units`: CF gives strings none.
hdf5::Handle write_labels(hid_t loc, const Dimension& dimension) {
  const ColumnData labels = dimension.labels;
  const hsize_t dims[] = {dimension.labels.size()};
  const hsize_t offset[] = {0};
  const auto type = hdf5::file_type_of(labels);
  auto dataset = hdf5::create_dataset(loc, dimension.name, type.get(), dims);
  hdf5::write_block(dataset.get(), offset, dims, labels);
  hdf5::make_dimension_scale(dataset.get(), dimension.name);
  hdf5::write_attribute(dataset.get(), "long_name", std::string_view(dimension.name));
  return dataset;
}

std::vector<char> write_contents(const RunDataset& data) {
  auto file = hdf5::create_memory_file("hybridsim-run.h5");
  {
    const auto time = hdf5::write_coordinate(
        file.get(), {std::string(time_name), data.time_units, "time", ""}, data.time_s);
    hdf5::write_attribute(time.get(), "calendar", std::string_view("standard"));
    hdf5::write_attribute(time.get(), "standard_name", std::string_view("time"));
    hdf5::write_attribute(time.get(), "axis", std::string_view("T"));

    // Label coordinates follow `time`, in the order the series first use them; they stay
    // open so that every series on them can attach them.
    std::map<std::string, hdf5::Handle> label_scales;
    for (const auto& column : data.series) {
      if (column.second && !label_scales.contains(column.second->name)) {
        label_scales.emplace(column.second->name, write_labels(file.get(), *column.second));
      }
    }

    for (const auto& column : data.series) {
      if (column.second) {
        const hsize_t dims[] = {data.time_s.size(), column.second->labels.size()};
        const hid_t scales[] = {time.get(), label_scales.at(column.second->name).get()};
        hdf5::write_variable(file.get(), column.info, dims, scales, column.data);
      } else {
        const hsize_t dims[] = {data.time_s.size()};
        const hid_t scales[] = {time.get()};
        hdf5::write_variable(file.get(), column.info, dims, scales, column.data);
      }
    }
    for (const auto& table : data.tables) write_table(file.get(), table);
    for (const auto& [name, value] : data.attributes) {
      hdf5::write_attribute(file.get(), name, value);
    }
  }
  std::vector<char> image = hdf5::file_image(file.get());
  file.close();
  return image;
}

}  // namespace

std::vector<char> run_hdf5_image(const RunDataset& data) {
  validate_run_dataset(data);
  const hdf5::ErrorSilencer silencer;
  return write_contents(data);
}

void write_run_hdf5(const std::filesystem::path& path, const RunDataset& data) {
  const std::vector<char> image = run_hdf5_image(data);
  OutputFile file(path);
  file.commit(image);
}

}  // namespace hybridsim::sim::output
