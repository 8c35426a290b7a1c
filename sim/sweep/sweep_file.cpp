#include "sim/sweep/sweep_file.hpp"

#include <hdf5_hl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "sim/run/version.hpp"
#include "sim/sweep/chunk_codec.hpp"

namespace hybridsim::sweep {

namespace h5 = sim::output::hdf5;
using h5::check;
using h5::Handle;
using h5::link_exists;
using h5::open_dataset;
using h5::open_group;
using h5::read_string_attribute;
using sim::config::Location;
using sim::config::ScenarioError;

namespace {

constexpr hsize_t kTableChunk = kTableChunkRows;

sim::output::VariableInfo var(std::string name, std::string units, std::string long_name) {
  sim::output::VariableInfo v;
  v.name = std::move(name);
  v.units = std::move(units);
  v.long_name = std::move(long_name);
  return v;
}

Handle plist(hid_t cls) { return Handle(check(H5Pcreate(cls), "H5Pcreate"), H5Pclose); }

void track_order(hid_t p, bool links) {
  const unsigned flags = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
  if (links) check(H5Pset_link_creation_order(p, flags), "H5Pset_link_creation_order");
  check(H5Pset_attr_creation_order(p, flags), "H5Pset_attr_creation_order");
}

/// File access: metadata stays in memory until an explicit flush (no evictions), so what is
/// on disk is always the state of the last flush.
Handle access_plist() {
  auto fapl = plist(H5P_FILE_ACCESS);
  check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_SEMI), "H5Pset_fclose_degree");
  H5AC_cache_config_t c{};
  c.version = H5AC__CURR_CACHE_CONFIG_VERSION;
  check(H5Pget_mdc_config(fapl.get(), &c), "H5Pget_mdc_config");
  c.evictions_enabled = false;
  c.incr_mode = H5C_incr__off;
  c.flash_incr_mode = H5C_flash_incr__off;
  c.decr_mode = H5C_decr__off;
  check(H5Pset_mdc_config(fapl.get(), &c), "H5Pset_mdc_config");
  return fapl;
}

/// A 1-D dataset over `run` stored contiguously with its space allocated at creation, so
/// writing an element overwrites it in place.
Handle run_dataset(hid_t loc, const std::string& name, hid_t type, std::int64_t n, const void* fill) {
  const hsize_t dims[] = {static_cast<hsize_t>(n)};
  const Handle space(check(H5Screate_simple(1, dims, nullptr), "H5Screate_simple"), H5Sclose);
  auto dcpl = plist(H5P_DATASET_CREATE);
  track_order(dcpl.get(), false);
  check(H5Pset_alloc_time(dcpl.get(), H5D_ALLOC_TIME_EARLY), "H5Pset_alloc_time");
  if (fill) check(H5Pset_fill_value(dcpl.get(), type, fill), "H5Pset_fill_value");
  return Handle(check(H5Dcreate2(loc, name.c_str(), type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                      "H5Dcreate2 '" + name + "'"),
                H5Dclose);
}

void write_all(hid_t dataset, const sim::output::ColumnData& values) {
  const hsize_t offset[] = {0};
  const hsize_t count[] = {h5::size_of(values)};
  h5::write_block(dataset, offset, count, values);
}

void write_element(hid_t dataset, hid_t mem_type, std::int64_t index, const void* value) {
  const hsize_t offset[] = {static_cast<hsize_t>(index)};
  const hsize_t count[] = {1};
  h5::write_block(dataset, mem_type, offset, count, value);
}

hsize_t extent(hid_t dataset) {
  const Handle space(check(H5Dget_space(dataset), "H5Dget_space"), H5Sclose);
  hsize_t dims[1] = {0};
  check(H5Sget_simple_extent_dims(space.get(), dims, nullptr), "H5Sget_simple_extent_dims");
  return dims[0];
}

std::vector<std::int64_t> read_int64(hid_t dataset) {
  std::vector<std::int64_t> v(extent(dataset));
  if (!v.empty())
    check(H5Dread(dataset, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "H5Dread");
  return v;
}

/// The names of the links in group `loc`.
std::vector<std::string> links(hid_t loc) {
  H5G_info_t info{};
  check(H5Gget_info(loc, &info), "H5Gget_info");
  std::vector<std::string> out;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const auto size = H5Lget_name_by_idx(loc, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    std::string name(static_cast<std::size_t>(size) + 1, '\0');
    H5Lget_name_by_idx(loc, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT);
    name.resize(static_cast<std::size_t>(size));
    out.push_back(name);
  }
  return out;
}

/// Text columns of tables are fixed-length strings (NUL-padded UTF-8, `_Encoding = "utf-8"`,
/// which h5netcdf and xarray decode to str): written as they are, where variable-length
/// strings cost HDF5 a conversion and a global-heap object per string (most of the writer's
/// time and of the file before). The width is fixed when the column is created: the longest of
/// the first member's values, of every swept text value (a swept key may rename what the
/// strings name) and 16 bytes, rounded up to 8. A later value that does not fit is an error,
/// never truncated.
constexpr std::size_t kMinTextBytes = 16;

std::size_t text_width(const std::vector<std::string>& values, std::size_t swept_text_bytes) {
  std::size_t width = std::max(kMinTextBytes, swept_text_bytes);
  for (const auto& v : values) width = std::max(width, v.size());
  return (width + 7) / 8 * 8;
}

Handle fixed_text_type(std::size_t width) {
  Handle type(check(H5Tcopy(H5T_C_S1), "H5Tcopy"), H5Tclose);
  check(H5Tset_size(type.get(), width), "H5Tset_size");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "H5Tset_cset");
  check(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), "H5Tset_strpad");
  return type;
}

/// The rows of a text column in the column's fixed width; throws if one does not fit.
std::vector<char> pack_text(const std::vector<std::string>& values, std::size_t width, const std::string& table,
                            const std::string& column, std::int64_t run) {
  if (auto packed = pack_fixed_width(values, width)) return std::move(*packed);
  const auto& v = *std::find_if(values.begin(), values.end(), [&](const std::string& x) { return x.size() > width; });
  throw std::runtime_error("table '" + table + "', column '" + column + "': member " + std::to_string(run) +
                           " has the value '" + v + "' (" + std::to_string(v.size()) +
                           " bytes), longer than the column's " + std::to_string(width) +
                           " bytes, which were fixed by the first member's values and the sweep's text values; "
                           "nothing was truncated, the sweep stops here");
}

/// The type of a fixed-length text column, or null for any other dataset (numbers, or the
/// variable-length strings of an older file).
Handle fixed_text_type_of(hid_t dataset) {
  Handle type(check(H5Dget_type(dataset), "H5Dget_type"), H5Tclose);
  if (H5Tget_class(type.get()) == H5T_STRING && H5Tis_variable_str(type.get()) <= 0) return type;
  return Handle();
}

bool is_group(hid_t loc, const std::string& name) {
  H5O_info_t info{};
  if (H5Oget_info_by_name(loc, name.c_str(), &info, H5P_DEFAULT) < 0) return false;
  return info.type == H5O_TYPE_GROUP;
}

std::size_t swept_text_bytes(const SweepPlan& plan) {
  std::size_t n = 0;
  for (std::size_t k = 0; k < plan.keys().size(); ++k)
    if (!plan.keys()[k].numeric())
      for (const auto& m : plan.members()) n = std::max(n, m.text[k].size());
  return n;
}

}  // namespace

SweepFile::SweepFile(SweepFile&&) noexcept = default;
SweepFile& SweepFile::operator=(SweepFile&&) noexcept = default;
SweepFile::~SweepFile() = default;

SweepFile SweepFile::create(const std::filesystem::path& path, const SweepPlan& plan) {
  const h5::ErrorSilencer silencer;
  SweepFile f;
  f.members_ = plan.size();
  f.done_.assign(static_cast<std::size_t>(f.members_), 0);
  f.swept_text_bytes_ = swept_text_bytes(plan);
  auto fcpl = plist(H5P_FILE_CREATE);
  track_order(fcpl.get(), true);
  // Never reuse freed space: data written after a flush cannot overwrite what it refers to.
  check(H5Pset_file_space_strategy(fcpl.get(), H5F_FSPACE_STRATEGY_NONE, 0, 1), "H5Pset_file_space_strategy");
  const auto fapl = access_plist();
  // Until the first member's layout is on disk the file lives under a temporary name: the
  // largest flush (every variable's header) never happens at `path`.
  f.final_path_ = path;
  f.path_ = path;
  f.path_ += ".tmp-" + std::to_string(::getpid());
  f.file_ = Handle(check(H5Fcreate(f.path_.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()),
                         "H5Fcreate '" + f.path_.string() + "'"),
                   H5Fclose);
  const hid_t root = f.file_.get();
  const auto& members = plan.members();
  const auto column = [&](auto get) {
    std::vector<std::int64_t> v;
    v.reserve(members.size());
    for (const auto& m : members) v.push_back(static_cast<std::int64_t>(get(m)));
    return v;
  };
  std::vector<std::int64_t> run(members.size());
  for (std::size_t i = 0; i < run.size(); ++i) run[i] = static_cast<std::int64_t>(i);

  // The member table, as coordinates on `run`, at the root and again in `params`.
  const auto write_members = [&](hid_t loc, bool root_level) {
    const auto run_scale = h5::write_coordinate(loc, var("run", "1", "sweep member (run index)"), run);
    std::vector<std::pair<std::string, Handle>> made;
    const auto ints = [&](const std::string& name, const std::string& what, std::vector<std::int64_t> v) {
      auto d = run_dataset(loc, name, H5T_STD_I64LE, static_cast<std::int64_t>(v.size()), nullptr);
      write_all(d.get(), v);
      h5::write_variable_attributes(d.get(), var(name, "1", what));
      made.emplace_back(name, std::move(d));
    };
    ints("seed", "the member's seed", column([](const Member& m) { return m.seed; }));
    ints("replication", "replication of the design point", column([](const Member& m) { return m.replication; }));
    ints("point", "design point", column([](const Member& m) { return m.point; }));
    if (plan.spec().method == SweepMethod::kSobol) {
      ints("sobol_block", "Saltelli matrix: 0 = A, i = A_B^i (key i, 1-based), d+1 = B",
           column([](const Member& m) { return m.sobol_block; }));
      ints("sobol_sample", "Saltelli sample j", column([](const Member& m) { return m.sobol_sample; }));
    }
    for (std::size_t k = 0; k < plan.keys().size(); ++k) {
      const SweptKey& key = plan.keys()[k];
      Handle d;
      if (key.numeric()) {
        std::vector<double> v;
        for (const auto& m : members) v.push_back(m.number[k]);
        d = run_dataset(loc, key.key, H5T_IEEE_F64LE, static_cast<std::int64_t>(v.size()), nullptr);
        write_all(d.get(), v);
      } else {
        std::vector<std::string> v;
        for (const auto& m : members) v.push_back(m.text[k]);
        const auto type = h5::string_type();
        d = run_dataset(loc, key.key, type.get(), static_cast<std::int64_t>(v.size()), nullptr);
        write_all(d.get(), v);
      }
      h5::write_variable_attributes(d.get(), var(key.key, key.unit, key.description.empty() ? key.key : key.description));
      h5::write_attribute(d.get(), "key_path", std::string_view(key.key));
      made.emplace_back(key.key, std::move(d));
    }
    for (auto& [name, d] : made) {
      h5::attach_scale(d.get(), run_scale.get(), 0);
      if (root_level) f.coordinates_.push_back(name);
    }
    if (root_level) {
      const std::int8_t zero = 0;
      f.done_set_ = run_dataset(loc, "done", H5T_STD_I8LE, f.members_, &zero);
      h5::write_variable_attributes(f.done_set_.get(), var("done", "1", "1 once the member's results are all in the file"));
      h5::attach_scale(f.done_set_.get(), run_scale.get(), 0);
    }
  };
  write_members(root, true);
  {
    const auto params = h5::create_group(root, "params");
    h5::write_attribute(params.get(), "long_name", std::string_view("the member table: each member's swept values"));
    write_members(params.get(), false);
    const auto summary = h5::create_group(root, "summary");
    h5::write_attribute(summary.get(), "long_name", std::string_view("headline figures of every member"));
    h5::write_coordinate(summary.get(), var("run", "1", "sweep member (run index)"), run);
  }
  const sim::Scenario& base = plan.base();
  h5::write_attribute(root, "title", std::string_view("sweep of " + base.name));
  h5::write_attribute(root, "description", std::string_view(base.description));
  h5::write_attribute(root, "Conventions", std::string_view("CF-1.8"));
  h5::write_attribute(root, "hybridsim_version", std::string_view(sim::kVersion));
  h5::write_attribute(root, "sweep_hash", std::string_view(plan.hash()));
  h5::write_attribute(root, "sweep_method", std::string_view(method_name(plan.spec().method)));
  h5::write_attribute(root, "sweep_yaml", std::string_view(plan.spec().canonical_yaml));
  h5::write_attribute(root, "scenario_yaml", std::string_view(base.resolved_yaml));
  h5::write_attribute(root, "scenario_source", std::string_view(base.source));
  h5::write_attribute(root, "seed", static_cast<std::int64_t>(base.seed));
  h5::write_attribute(root, "members", f.members_);
  h5::write_attribute(root, "replications", plan.spec().replications);
  check(H5Fflush(root, H5F_SCOPE_GLOBAL), "H5Fflush");
  return f;
}

SweepFile SweepFile::resume(const std::filesystem::path& path, const SweepPlan& plan) {
  const h5::ErrorSilencer silencer;
  const Location where{"--resume " + path.string()};
  if (!std::filesystem::is_regular_file(path))
    throw ScenarioError(where, "there is no file to resume; run the sweep without --resume first");
  if (H5Fis_hdf5(path.c_str()) <= 0) throw ScenarioError(where, "not an HDF5 file: nothing to resume");
  SweepFile f;
  f.path_ = path;
  f.swept_text_bytes_ = swept_text_bytes(plan);
  const auto fapl = access_plist();
  f.file_ = Handle(check(H5Fopen(path.c_str(), H5F_ACC_RDWR, fapl.get()), "H5Fopen '" + path.string() + "'"), H5Fclose);
  const hid_t root = f.file_.get();
  const std::string hash = read_string_attribute(root, "sweep_hash");
  if (hash.empty()) throw ScenarioError(where, "the file is not a hybridsim sweep (no sweep_hash attribute)");
  if (hash != plan.hash()) {
    std::string why = "the file holds another sweep (hash " + hash + ", this sweep " + plan.hash() + "): ";
    const bool base = read_string_attribute(root, "scenario_yaml") != plan.base().resolved_yaml;
    const bool block = read_string_attribute(root, "sweep_yaml") != plan.spec().canonical_yaml;
    why += base && block ? "both the base scenario and the sweep block differ"
           : base        ? "the base scenario differs (its keys, --set, or seed)"
                         : "the sweep block differs";
    throw ScenarioError(where, why + "; write to a new file, or run without --resume to start over");
  }
  f.members_ = plan.size();
  f.done_set_ = open_dataset(root, "done");
  if (static_cast<std::int64_t>(extent(f.done_set_.get())) != f.members_)
    throw ScenarioError(where, "the file's member count differs from the sweep's");
  f.done_.assign(static_cast<std::size_t>(f.members_), 0);
  check(H5Dread(f.done_set_.get(), H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, f.done_.data()), "H5Dread done");
  f.coordinates_ = {"seed", "replication", "point"};
  if (plan.spec().method == SweepMethod::kSobol) {
    f.coordinates_.push_back("sobol_block");
    f.coordinates_.push_back("sobol_sample");
  }
  for (const auto& k : plan.keys()) f.coordinates_.push_back(k.key);

  // Rows of members not done (written before a commit that never happened) are dropped:
  // commits are in index order, so the kept rows are those of the members before the first
  // missing one.
  std::int64_t frontier = 0;  // a shard's members start at its first: skip those before
  while (frontier < f.members_ && !f.done_[static_cast<std::size_t>(frontier)]) ++frontier;
  while (frontier < f.members_ && f.done_[static_cast<std::size_t>(frontier)]) ++frontier;
  for (std::int64_t i = frontier; i < f.members_; ++i) f.done_[static_cast<std::size_t>(i)] = 0;
  for (const auto& name : links(root)) {
    if (name == "params" || name == "summary" || !is_group(root, name)) continue;
    const auto group = open_group(root, name);
    if (!link_exists(group.get(), "run")) continue;
    const auto run = read_int64(open_dataset(group.get(), "run").get());
    hsize_t keep = 0;
    while (keep < run.size() && run[keep] < frontier) ++keep;
    if (keep == run.size()) continue;
    for (const auto& column : links(group.get())) {
      const auto d = open_dataset(group.get(), column);
      const hsize_t dims[] = {keep};
      check(H5Dset_extent(d.get(), dims), "H5Dset_extent '" + column + "'");
    }
  }
  check(H5Fflush(root, H5F_SCOPE_GLOBAL), "H5Fflush");
  return f;
}

void SweepFile::create_layout(const MemberResult& r) {
  const hid_t root = file_.get();
  const auto run_scale = open_dataset(root, "run");
  auto time = h5::write_coordinate(root, var("time", r.time_units, "time"), r.time_s);
  h5::write_attribute(time.get(), "calendar", std::string_view("standard"));
  h5::write_attribute(time.get(), "standard_name", std::string_view("time"));
  h5::write_attribute(time.get(), "axis", std::string_view("T"));
  std::map<std::string, Handle> labels;
  for (const auto& s : r.shapes) {
    if (!s.second || labels.contains(s.second->name)) continue;
    const sim::output::ColumnData values = s.second->labels;
    const auto type = h5::file_type_of(values);
    const hsize_t dims[] = {s.second->labels.size()};
    auto d = h5::create_dataset(root, s.second->name, type.get(), dims);
    write_all(d.get(), values);
    h5::make_dimension_scale(d.get(), s.second->name);
    h5::write_attribute(d.get(), "long_name", std::string_view(s.second->name));
    labels.emplace(s.second->name, std::move(d));
  }
  std::string coordinates;
  for (const auto& c : coordinates_) coordinates += (coordinates.empty() ? "" : " ") + c;
  const auto T = static_cast<hsize_t>(r.time_s.size());
  for (const auto& s : r.shapes) {
    std::vector<hsize_t> dims{static_cast<hsize_t>(members_), T};
    std::vector<hsize_t> chunk{1, static_cast<hsize_t>(s.chunk_time)};
    if (s.second) {
      dims.push_back(static_cast<hsize_t>(s.labels()));
      chunk.push_back(static_cast<hsize_t>(s.labels()));
    }
    const Handle space(check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), "H5Screate_simple"),
                       H5Sclose);
    auto dcpl = plist(H5P_DATASET_CREATE);
    track_order(dcpl.get(), false);
    check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), "H5Pset_chunk");
    check(H5Pset_shuffle(dcpl.get()), "H5Pset_shuffle");
    check(H5Pset_deflate(dcpl.get(), kDeflateLevel), "H5Pset_deflate");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::int64_t zero = 0;
    const hid_t type = s.integer ? H5T_STD_I64LE : H5T_IEEE_F64LE;
    check(H5Pset_fill_value(dcpl.get(), s.integer ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE,
                            s.integer ? static_cast<const void*>(&zero) : static_cast<const void*>(&nan)),
          "H5Pset_fill_value");
    Handle d(check(H5Dcreate2(root, s.info.name.c_str(), type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                   "H5Dcreate2 '" + s.info.name + "'"),
             H5Dclose);
    h5::write_variable_attributes(d.get(), s.info);
    h5::write_attribute(d.get(), "coordinates", std::string_view(coordinates));
    h5::attach_scale(d.get(), run_scale.get(), 0);
    h5::attach_scale(d.get(), time.get(), 1);
    if (s.second) h5::attach_scale(d.get(), labels.at(s.second->name).get(), 2);
    series_.push_back(std::move(d));
  }
  const auto summary = open_group(root, "summary");
  const auto summary_run = open_dataset(summary.get(), "run");
  for (const auto& m : r.metrics) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    auto d = run_dataset(summary.get(), m.key, H5T_IEEE_F64LE, members_, &nan);
    h5::write_variable_attributes(d.get(), var(m.key, m.units, m.description));
    h5::attach_scale(d.get(), summary_run.get(), 0);
    summary_.push_back(std::move(d));
  }
}

void SweepFile::open_layout(const MemberResult& r) {
  const hid_t root = file_.get();
  const auto time = read_int64(open_dataset(root, "time").get());
  if (time != r.time_s) throw std::runtime_error("the file's time axis differs from the member's");
  for (const auto& s : r.shapes) {
    if (!link_exists(root, s.info.name))
      throw std::runtime_error("series '" + s.info.name + "' is missing from the file being resumed");
    series_.push_back(open_dataset(root, s.info.name));
  }
  const auto summary = open_group(root, "summary");
  for (const auto& m : r.metrics) summary_.push_back(open_dataset(summary.get(), m.key));
}

void SweepFile::write_series(const MemberResult& r) {
  const h5::ErrorSilencer silencer;
  if (!layout_) {
    if (link_exists(file_.get(), "time")) open_layout(r);
    else create_layout(r);
    if (!final_path_.empty()) {  // the layout is complete on disk: the file may take its name
      check(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), "H5Fflush");
      std::filesystem::rename(path_, final_path_);
      path_ = final_path_;
      final_path_.clear();
    }
    if (shapes_.empty() && metrics_.empty()) {  // not after a reopen: keep comparing with the first member
      shapes_ = r.shapes;
      metrics_ = r.metrics;
      time_s_ = r.time_s;
    }
    layout_ = true;
  }
  if (r.shapes != shapes_ || r.metrics != metrics_ || r.time_s != time_s_)
    throw std::runtime_error("member " + std::to_string(r.index) +
                             " recorded other series, labels or summary figures than the members before it; a sweep "
                             "may only vary keys that leave the recorded variables alone");
  for (std::size_t s = 0; s < shapes_.size(); ++s) {
    const auto& chunks = r.chunks[s];
    for (std::size_t c = 0; c < chunks.size(); ++c) {
      const hsize_t offset[] = {static_cast<hsize_t>(r.index), c * static_cast<hsize_t>(shapes_[s].chunk_time), 0};
      check(H5Dwrite_chunk(series_[s].get(), H5P_DEFAULT, 0, offset, chunks[c].size(), chunks[c].data()),
            "H5Dwrite_chunk '" + shapes_[s].info.name + "'");
    }
  }
  for (std::size_t m = 0; m < summary_.size(); ++m)
    write_element(summary_[m].get(), H5T_NATIVE_DOUBLE, r.index, &r.summary[m]);
}

void SweepFile::write_shard(std::int64_t index, std::int64_t count, std::int64_t first, std::int64_t last) {
  const h5::ErrorSilencer silencer;
  const hid_t root = file_.get();
  for (const auto& [name, value] : {std::pair<const char*, std::int64_t>{"shard_index", index},
                                    {"shard_count", count}, {"shard_first", first}, {"shard_last", last}}) {
    if (H5Aexists(root, name) > 0) check(H5Adelete(root, name), "H5Adelete");  // a resumed shard
    h5::write_attribute(root, name, value);
  }
}

void SweepFile::append_table(const sim::output::Table& table, std::int64_t run, const PreparedTable* prepared) {
  const hid_t root = file_.get();
  const hsize_t rows = table.columns.empty() ? 0 : h5::size_of(table.columns[0].data);
  Handle group;
  if (!link_exists(root, table.group)) {
    group = h5::create_group(root, table.group);
    h5::write_attribute(group.get(), "long_name", std::string_view(table.long_name));
    const h5::DatasetLayout layout{{H5S_UNLIMITED}, {kTableChunk}, kDeflateLevel};  // as prepare_tables'
    const hsize_t zero[] = {0};
    auto index = h5::create_dataset(group.get(), table.dimension, H5T_STD_I64LE, zero, layout);
    h5::write_variable_attributes(index.get(), var(table.dimension, "1", table.dimension + " index"));
    h5::make_dimension_scale(index.get(), table.dimension);
    auto run_column = h5::create_dataset(group.get(), "run", H5T_STD_I64LE, zero, layout);
    h5::write_variable_attributes(run_column.get(), var("run", "1", "sweep member (run index) of the row"));
    h5::attach_scale(run_column.get(), index.get(), 0);
    for (const auto& c : table.columns) {
      const auto* text = std::get_if<std::vector<std::string>>(&c.data);
      const auto type = text ? fixed_text_type(text_width(*text, swept_text_bytes_)) : h5::file_type_of(c.data);
      auto d = h5::create_dataset(group.get(), c.info.name, type.get(), zero, layout);
      h5::write_variable_attributes(d.get(), c.info);
      if (text) h5::write_attribute(d.get(), "_Encoding", std::string_view("utf-8"));
      h5::attach_scale(d.get(), index.get(), 0);
    }
  } else {
    group = open_group(root, table.group);
  }
  if (rows == 0) return;
  const auto index = open_dataset(group.get(), table.dimension);
  const hsize_t start = extent(index.get());
  const hsize_t new_size[] = {start + rows};
  const hsize_t offset[] = {start};
  const hsize_t count[] = {rows};
  // Whole chunks prepared on the worker for exactly these rows are stored as they are; the
  // rows before and after them share chunks with the neighbouring members and go through HDF5.
  const PreparedTable* p = prepared && prepared->chunks > 0 && prepared->start == static_cast<std::int64_t>(start) &&
                                   prepared->columns.size() == table.columns.size() + 2
                               ? prepared
                               : nullptr;
  // Text in the columns' widths first: a value that does not fit stops the commit before any
  // column has grown.
  struct Packed {
    Handle type;  // the column's fixed-length string type
    std::vector<char> bytes;
  };
  std::map<std::string, Packed> packed;
  for (const auto& c : table.columns) {
    const auto* text = std::get_if<std::vector<std::string>>(&c.data);
    if (!text || !link_exists(group.get(), c.info.name)) continue;
    if (Handle type = fixed_text_type_of(open_dataset(group.get(), c.info.name).get())) {
      auto bytes = pack_text(*text, H5Tget_size(type.get()), table.group, c.info.name, run);
      packed[c.info.name] = Packed{std::move(type), std::move(bytes)};
    }
  }
  const auto append = [&](std::size_t k, const std::string& name, const sim::output::ColumnData& values) {
    const auto d = open_dataset(group.get(), name);
    check(H5Dset_extent(d.get(), new_size), "H5Dset_extent '" + name + "'");
    const auto fixed = packed.find(name);
    if (std::holds_alternative<std::vector<std::string>>(values) && fixed == packed.end()) {
      h5::write_block(d.get(), offset, count, values);  // the variable-length strings of an older file
      return;
    }
    // The rows as the file stores them: element type, first byte, bytes per row.
    hid_t type = H5T_NATIVE_INT64;
    const char* data = nullptr;
    std::size_t element_bytes = 8;
    if (fixed != packed.end()) {
      type = fixed->second.type.get();
      data = fixed->second.bytes.data();
      element_bytes = H5Tget_size(type);
    } else if (const auto* v = std::get_if<std::vector<double>>(&values)) {
      type = H5T_NATIVE_DOUBLE;
      data = reinterpret_cast<const char*>(v->data());
    } else {
      data = reinterpret_cast<const char*>(std::get<std::vector<std::int64_t>>(values).data());
    }
    if (!p || p->columns[k].empty() || p->element_bytes[k] != element_bytes) {
      h5::write_block(d.get(), type, offset, count, data);
      return;
    }
    const auto whole_first = static_cast<hsize_t>(p->first_chunk * kTableChunkRows);
    const auto whole_rows = static_cast<hsize_t>(p->chunks * kTableChunkRows);
    const auto rows_through_hdf5 = [&](hsize_t from, hsize_t n) {  // rows [from, from + n) of the member
      const hsize_t at[] = {start + from};
      const hsize_t many[] = {n};
      h5::write_block(d.get(), type, at, many, data + from * element_bytes);
    };
    rows_through_hdf5(0, whole_first - start);
    for (std::int64_t c = 0; c < p->chunks; ++c) {
      const auto& bytes = p->columns[k][static_cast<std::size_t>(c)];
      const hsize_t chunk_offset[] = {whole_first + static_cast<hsize_t>(c) * kTableChunk};
      check(H5Dwrite_chunk(d.get(), H5P_DEFAULT, 0, chunk_offset, bytes.size(), bytes.data()),
            "H5Dwrite_chunk '" + name + "'");
    }
    rows_through_hdf5(whole_first + whole_rows - start, start + rows - whole_first - whole_rows);
  };
  std::vector<std::int64_t> numbers(rows);
  for (hsize_t i = 0; i < rows; ++i) numbers[i] = static_cast<std::int64_t>(start + i);
  append(0, table.dimension, numbers);
  std::fill(numbers.begin(), numbers.end(), run);
  append(1, "run", numbers);
  for (std::size_t k = 0; k < table.columns.size(); ++k) {
    const auto& c = table.columns[k];
    if (!link_exists(group.get(), c.info.name))
      throw std::runtime_error("table '" + table.group + "' of member " + std::to_string(run) + " has a column '" +
                               c.info.name + "' the members before it did not");
    append(k + 2, c.info.name, c.data);
  }
}

std::vector<std::pair<std::string, Handle>> SweepFile::table_groups() const {
  std::vector<std::pair<std::string, Handle>> out;
  const hid_t root = file_.get();
  for (const auto& name : links(root)) {
    if (name == "params" || name == "summary" || !is_group(root, name)) continue;
    auto group = open_group(root, name);
    if (link_exists(group.get(), "run")) out.emplace_back(name, std::move(group));
  }
  return out;
}

TextWidths SweepFile::text_widths() const {
  const h5::ErrorSilencer silencer;
  TextWidths out;
  for (const auto& [name, group] : table_groups())
    for (const auto& column : links(group.get()))
      if (const Handle type = fixed_text_type_of(open_dataset(group.get(), column).get()))
        out[name + "/" + column] = H5Tget_size(type.get());
  return out;
}

TableRows SweepFile::table_rows() const {
  const h5::ErrorSilencer silencer;
  TableRows out;
  for (const auto& [name, group] : table_groups())
    out[name] = static_cast<std::int64_t>(extent(open_dataset(group.get(), "run").get()));
  return out;
}

void SweepFile::commit(const MemberResult& r, const std::vector<PreparedTable>& prepared) {
  const h5::ErrorSilencer silencer;
  for (const auto& t : r.tables) {
    const PreparedTable* p = nullptr;
    for (const auto& candidate : prepared)
      if (candidate.group == t.group) p = &candidate;
    append_table(t, r.index, p);
  }
  const std::uint8_t one = 1;
  write_element(done_set_.get(), H5T_NATIVE_UINT8, r.index, &one);
  done_[static_cast<std::size_t>(r.index)] = 1;
  check(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), "H5Fflush");
  // With evictions off the metadata cache only grows (chunk indexes of the tables): once it
  // is large, close and reopen the file, which empties it. Memory stays flat. Its many small
  // entries hold about ten times the memory HDF5 reports as their size (a 1-year member adds
  // about 5 kB of reported size and 50 kB of resident memory), hence a low limit (1 MiB).
  std::size_t max_size = 0, min_clean = 0, size = 0;
  int entries = 0;
  check(H5Fget_mdc_size(file_.get(), &max_size, &min_clean, &size, &entries), "H5Fget_mdc_size");
  if (size > cache_limit_) reopen();
  // HDF5 keeps freed blocks on free lists of its own; hand them back after every member.
  check(H5garbage_collect(), "H5garbage_collect");
}

void SweepFile::reopen() {
  series_.clear();
  summary_.clear();
  done_set_.reset();
  file_.close();
  const auto fapl = access_plist();
  file_ = Handle(check(H5Fopen(path_.c_str(), H5F_ACC_RDWR, fapl.get()), "H5Fopen '" + path_.string() + "'"), H5Fclose);
  done_set_ = open_dataset(file_.get(), "done");
  layout_ = false;  // the next write_series opens the series again
}

void SweepFile::close() {
  const h5::ErrorSilencer silencer;
  series_.clear();
  summary_.clear();
  done_set_.reset();
  if (file_) {
    check(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), "H5Fflush");
    file_.close();
  }
}

}  // namespace hybridsim::sweep
