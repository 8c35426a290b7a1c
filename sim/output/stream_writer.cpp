#include "sim/output/stream_writer.hpp"

#include <algorithm>
#include <bit>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

#include "sim/output/hdf5_file.hpp"
#include "sim/output/hdf5_writer.hpp"

namespace hybridsim::sim::output {

namespace {

// Stamps per chunk of a series with `labels` labels (1 for a 1-D series): a power of two, so
// that it divides the recorder's blocks and each block fills whole chunks (no chunk is read
// back to be completed), with at most max_chunk_elements elements.
hsize_t series_chunk_stamps(std::size_t labels) {
  const std::size_t fit = hdf5::max_chunk_elements / std::max<std::size_t>(1, labels);
  return std::bit_floor(std::clamp<std::size_t>(fit, 1, Recorder::kSamplesPerBlock));
}

constexpr hsize_t kTableChunkRows = 16384;

void grow(hid_t dataset, std::span<const hsize_t> dims) {
  hdf5::check(H5Dset_extent(dataset, dims.data()), "H5Dset_extent");
}

}  // namespace

struct StreamWriter::State {
  std::filesystem::path path;
  hdf5::Handle file, time;
  std::map<std::string, hdf5::Handle> labels;
  std::vector<hdf5::Handle> series;
  std::vector<std::size_t> widths;  // labels per stamp of each series (1 for 1-D)
  hsize_t stamps = 0;
  struct TableState {
    hdf5::Handle group, index;
    std::vector<hdf5::Handle> columns;
    std::vector<std::string> names;
    std::vector<std::size_t> types;  // ColumnData index of each column
    hsize_t rows = 0;
  };
  std::map<std::string, TableState> tables;
  std::set<std::string> root_names;  // the layout's, which table groups must not reuse

  void begin(const RunDataset& layout);
  void append_series(const RunDataset& block);
  void append_table(const Table& rows);
  void finish(const std::vector<std::pair<std::string, Attribute>>& attributes);
};

void StreamWriter::State::begin(const RunDataset& layout) {
  validate_run_dataset(layout);
  root_names.insert("time");
  for (const auto& c : layout.series) {
    root_names.insert(c.info.name);
    if (c.second) root_names.insert(c.second->name);
  }
  // Blocks fill whole chunks (series_chunk_stamps), written once: no chunk cache needed,
  // and without one memory does not grow with the number of datasets.
  file = hdf5::create_file(path, 0);
  const hsize_t zero[] = {0, 0};
  {
    const hsize_t chunk[] = {series_chunk_stamps(1)};
    const hdf5::DatasetLayout stored{{H5S_UNLIMITED}, {chunk[0]}, 1};
    time = hdf5::create_dataset(file.get(), "time", H5T_STD_I64LE, std::span(zero, 1), stored);
    hdf5::make_dimension_scale(time.get(), "time");
    hdf5::write_variable_attributes(time.get(), {"time", layout.time_units, "time", ""});
    hdf5::write_attribute(time.get(), "calendar", std::string_view("standard"));
    hdf5::write_attribute(time.get(), "standard_name", std::string_view("time"));
    hdf5::write_attribute(time.get(), "axis", std::string_view("T"));
  }
  // Label coordinates follow `time`, in the order series first use them (as run_hdf5_image).
  for (const auto& c : layout.series) {
    if (!c.second || labels.contains(c.second->name)) continue;
    const ColumnData values = c.second->labels;
    const hsize_t dims[] = {c.second->labels.size()};
    const hsize_t offset[] = {0};
    const auto type = hdf5::file_type_of(values);
    auto dataset = hdf5::create_dataset(file.get(), c.second->name, type.get(), dims);
    hdf5::write_block(dataset.get(), offset, dims, values);
    hdf5::make_dimension_scale(dataset.get(), c.second->name);
    hdf5::write_attribute(dataset.get(), "long_name", std::string_view(c.second->name));
    labels.emplace(c.second->name, std::move(dataset));
  }
  for (const auto& c : layout.series) {
    const std::size_t width = c.second ? c.second->labels.size() : 1;
    const hsize_t chunk = series_chunk_stamps(width);
    const auto type = hdf5::file_type_of(c.data);
    hdf5::Handle dataset;
    if (c.second) {
      const hdf5::DatasetLayout stored{{H5S_UNLIMITED, width}, {chunk, std::max<hsize_t>(1, width)}, 1};
      const hsize_t dims[] = {0, width};
      dataset = hdf5::create_dataset(file.get(), c.info.name, type.get(), dims, stored);
      hdf5::attach_scale(dataset.get(), time.get(), 0);
      hdf5::attach_scale(dataset.get(), labels.at(c.second->name).get(), 1);
    } else {
      const hdf5::DatasetLayout stored{{H5S_UNLIMITED}, {chunk}, 1};
      dataset = hdf5::create_dataset(file.get(), c.info.name, type.get(), std::span(zero, 1), stored);
      hdf5::attach_scale(dataset.get(), time.get(), 0);
    }
    hdf5::write_variable_attributes(dataset.get(), c.info);
    series.push_back(std::move(dataset));
    widths.push_back(width);
  }
}

void StreamWriter::State::append_series(const RunDataset& block) {
  const hsize_t k = block.time_s.size();
  if (block.series.size() != series.size())
    throw std::invalid_argument("a block of " + std::to_string(block.series.size()) + " series for a layout of " +
                                std::to_string(series.size()));
  if (k == 0) return;
  {
    const hsize_t dims[] = {stamps + k}, offset[] = {stamps}, count[] = {k};
    grow(time.get(), dims);
    hdf5::write_block(time.get(), offset, count, ColumnData(block.time_s));
  }
  for (std::size_t i = 0; i < series.size(); ++i) {
    const hsize_t width = widths[i];
    if (hdf5::size_of(block.series[i].data) != k * width)
      throw std::invalid_argument("series '" + block.series[i].info.name + "': a block of " +
                                  std::to_string(hdf5::size_of(block.series[i].data)) + " values for " +
                                  std::to_string(k) + " stamps");
    if (block.series[i].second) {
      const hsize_t dims[] = {stamps + k, width}, offset[] = {stamps, 0}, count[] = {k, width};
      grow(series[i].get(), dims);
      hdf5::write_block(series[i].get(), offset, count, block.series[i].data);
    } else {
      const hsize_t dims[] = {stamps + k}, offset[] = {stamps}, count[] = {k};
      grow(series[i].get(), dims);
      hdf5::write_block(series[i].get(), offset, count, block.series[i].data);
    }
  }
  stamps += k;
}

void StreamWriter::State::append_table(const Table& t) {
  const std::string where = "table '" + t.group + "'";
  const hsize_t k = t.columns.empty() ? 0 : hdf5::size_of(t.columns[0].data);
  for (const auto& c : t.columns) {
    if (c.second) throw std::invalid_argument("column '" + c.info.name + "' of " + where + " has a second dimension");
    if (hdf5::size_of(c.data) != k)
      throw std::invalid_argument("column '" + c.info.name + "' of " + where + " has " +
                                  std::to_string(hdf5::size_of(c.data)) + " values but column '" +
                                  t.columns[0].info.name + "' has " + std::to_string(k));
  }
  auto found = tables.find(t.group);
  if (found == tables.end()) {
    // The first rows lay the table out: a group with its index coordinate and one growing
    // dataset per column (the names checked as run_hdf5_image checks them).
    RunDataset probe;
    probe.time_units = "seconds since 1970-01-01 00:00:00";
    probe.tables.push_back(Table{t.group, t.dimension, t.long_name, {}});
    for (const auto& c : t.columns)
      probe.tables[0].columns.push_back(
          Column{c.info, std::visit([](const auto& v) -> ColumnData { return std::decay_t<decltype(v)>{}; }, c.data)});
    validate_run_dataset(probe);
    if (root_names.contains(t.group))
      throw std::invalid_argument("table group '" + t.group + "' clashes with another name in the root group");
    root_names.insert(t.group);
    TableState s;
    const hsize_t chunk = std::clamp<hsize_t>(k, 1, kTableChunkRows);
    const hdf5::DatasetLayout stored{{H5S_UNLIMITED}, {chunk}, 1};
    const hsize_t zero[] = {0};
    s.group = hdf5::create_group(file.get(), t.group);
    hdf5::write_attribute(s.group.get(), "long_name", std::string_view(t.long_name));
    s.index = hdf5::create_dataset(s.group.get(), t.dimension, H5T_STD_I64LE, zero, stored);
    hdf5::make_dimension_scale(s.index.get(), t.dimension);
    hdf5::write_variable_attributes(s.index.get(), {t.dimension, "1", t.dimension + " index", ""});
    for (const auto& c : t.columns) {
      const auto type = hdf5::file_type_of(c.data);
      auto dataset = hdf5::create_dataset(s.group.get(), c.info.name, type.get(), zero, stored);
      hdf5::write_variable_attributes(dataset.get(), c.info);
      hdf5::attach_scale(dataset.get(), s.index.get(), 0);
      s.columns.push_back(std::move(dataset));
      s.names.push_back(c.info.name);
      s.types.push_back(c.data.index());
    }
    found = tables.emplace(t.group, std::move(s)).first;
  }
  TableState& s = found->second;
  if (t.columns.size() != s.columns.size())
    throw std::invalid_argument(where + ": rows with " + std::to_string(t.columns.size()) + " columns for a table of " +
                                std::to_string(s.columns.size()));
  for (std::size_t i = 0; i < t.columns.size(); ++i)
    if (t.columns[i].info.name != s.names[i] || t.columns[i].data.index() != s.types[i])
      throw std::invalid_argument(where + ": column " + std::to_string(i) + " is '" + s.names[i] +
                                  "' but the added rows have '" + t.columns[i].info.name + "' or another type");
  if (k == 0) return;
  const hsize_t dims[] = {s.rows + k}, offset[] = {s.rows}, count[] = {k};
  std::vector<std::int64_t> index(k);
  for (hsize_t i = 0; i < k; ++i) index[i] = static_cast<std::int64_t>(s.rows + i);
  grow(s.index.get(), dims);
  hdf5::write_block(s.index.get(), offset, count, ColumnData(std::move(index)));
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    grow(s.columns[i].get(), dims);
    hdf5::write_block(s.columns[i].get(), offset, count, t.columns[i].data);
  }
  s.rows += k;
}

void StreamWriter::State::finish(const std::vector<std::pair<std::string, Attribute>>& attributes) {
  std::set<std::string> names;
  for (const auto& [name, value] : attributes) {
    if (!names.insert(name).second) throw std::invalid_argument("root attribute '" + name + "' is given twice");
    hdf5::write_attribute(file.get(), name, value);
  }
  tables.clear();
  series.clear();
  labels.clear();
  time.reset();
  file.close();
}

StreamWriter::StreamWriter(std::filesystem::path path, std::size_t max_pending)
    : state_(std::make_unique<State>()), max_pending_(std::max<std::size_t>(1, max_pending)) {
  state_->path = std::move(path);
  thread_ = std::thread([this] { work(); });
}

StreamWriter::~StreamWriter() { stop(); }

void StreamWriter::stop() noexcept {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void StreamWriter::work() {
  // Errors are reported through exceptions; HDF5 must not print its stack (per thread).
  const hdf5::ErrorSilencer silencer;
  for (;;) {
    std::function<void(State&)> task;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) break;  // stopping, nothing left
      task = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
    }
    changed_.notify_all();  // a slot is free
    std::exception_ptr failed;
    {
      bool skip = false;
      {
        const std::lock_guard lock(mutex_);
        skip = error_ != nullptr;
      }
      if (!skip) {
        try {
          task(*state_);
        } catch (...) {
          failed = std::current_exception();
        }
      }
    }
    {
      const std::lock_guard lock(mutex_);
      if (failed && !error_) error_ = failed;
      busy_ = false;
    }
    changed_.notify_all();
  }
  // Close whatever is still open (after an error or without finish()); failures ignored.
  state_->tables.clear();
  state_->series.clear();
  state_->labels.clear();
  state_->time.reset();
  if (error_ && state_->file) {
    // A file whose writes failed (a full disk) cannot flush, so H5Fclose fails, and HDF5's
    // cleanup at exit then crashes on the half-closed file. Leave it open instead: the
    // caller removes it, and HDF5 discards it at exit.
    state_->file.release();
  }
  state_->file.reset();
}

void StreamWriter::rethrow_if_failed() {
  std::exception_ptr e;
  {
    const std::lock_guard lock(mutex_);
    e = error_;
  }
  if (e) std::rethrow_exception(e);
}

void StreamWriter::post(std::function<void(State&)> task) {
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return error_ || queue_.size() < max_pending_; });
    if (error_) std::rethrow_exception(error_);
    queue_.push_back(std::move(task));
  }
  changed_.notify_all();
}

void StreamWriter::begin(const RunDataset& layout) {
  post([layout](State& s) { s.begin(layout); });
}

void StreamWriter::series_block(RunDataset block) {
  post([block = std::move(block)](State& s) { s.append_series(block); });
}

void StreamWriter::table_rows(Table rows) {
  post([rows = std::move(rows)](State& s) { s.append_table(rows); });
}

void StreamWriter::finish(const std::vector<std::pair<std::string, Attribute>>& attributes) {
  post([attributes](State& s) { s.finish(attributes); });
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return queue_.empty() && !busy_; });
  }
  rethrow_if_failed();
  stop();
}

}  // namespace hybridsim::sim::output
