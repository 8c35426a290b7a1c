#include "sim/output/hdf5_file.hpp"

#include <hdf5_hl.h>

#include <algorithm>
#include <functional>
#include <numeric>
#include <type_traits>
#include <utility>

namespace hybridsim::sim::output::hdf5 {

namespace {

herr_t collect_error(unsigned depth, const H5E_error2_t* error, void* client_data) {
  auto& text = *static_cast<std::string*>(client_data);
  if (depth > 0) text += "; ";
  if (error->func_name != nullptr) text += std::string(error->func_name) + "(): ";
  std::string description =
      error->desc != nullptr && error->desc[0] != '\0' ? error->desc : "(no description)";
  // Some descriptions embed ctime() output; keep the message on one line.
  std::replace(description.begin(), description.end(), '\n', ' ');
  text += description;
  char minor[256] = {};
  if (H5Eget_msg(error->min_num, nullptr, minor, sizeof minor) > 0) {
    text += " [";
    text += minor;
    text += "]";
  }
  return 0;
}

Handle property_list(hid_t cls) { return Handle(check(H5Pcreate(cls), "H5Pcreate"), H5Pclose); }

// netCDF-C refuses files whose groups do not track link creation order; tracking
// attribute order too keeps attributes in the order they were written.
void track_creation_order(hid_t plist, bool links) {
  const unsigned flags = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
  if (links) check(H5Pset_link_creation_order(plist, flags), "H5Pset_link_creation_order");
  check(H5Pset_attr_creation_order(plist, flags), "H5Pset_attr_creation_order");
}

Handle simple_space(std::span<const hsize_t> dims, const hsize_t* max_dims = nullptr) {
  return Handle(check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), max_dims),
                      "H5Screate_simple"),
                H5Sclose);
}

Handle scalar_space() { return Handle(check(H5Screate(H5S_SCALAR), "H5Screate"), H5Sclose); }

void write_scalar_attribute(hid_t obj, const std::string& name, hid_t type, const void* value) {
  const auto space = scalar_space();
  const Handle attribute(
      check(H5Acreate2(obj, name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
            "H5Acreate2 '" + name + "'"),
      H5Aclose);
  check(H5Awrite(attribute.get(), type, value), "H5Awrite '" + name + "'");
}

std::string object_name(hid_t obj) {
  const auto size = H5Iget_name(obj, nullptr, 0);
  if (size <= 0) return "?";
  std::string name(static_cast<std::size_t>(size) + 1, '\0');
  H5Iget_name(obj, name.data(), name.size());
  name.resize(static_cast<std::size_t>(size));
  return name;
}

}  // namespace

std::string error_stack_text() {
  std::string text;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_error, &text);
  return text;
}

ErrorSilencer::ErrorSilencer() {
  H5Eget_auto2(H5E_DEFAULT, &old_func_, &old_data_);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

ErrorSilencer::~ErrorSilencer() { H5Eset_auto2(H5E_DEFAULT, old_func_, old_data_); }

Handle::Handle(Handle&& other) noexcept
    : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = std::exchange(other.id_, H5I_INVALID_HID);
    closer_ = other.closer_;
  }
  return *this;
}

void Handle::close() {
  if (id_ < 0) return;
  // On failure keep the id: a file refusing to close while objects are open stays valid.
  check(closer_(id_), "closing HDF5 object");
  id_ = H5I_INVALID_HID;
}

void Handle::reset() noexcept {
  if (id_ < 0) return;
  closer_(std::exchange(id_, H5I_INVALID_HID));
}

Handle create_file(const std::filesystem::path& path) {
  const auto fcpl = property_list(H5P_FILE_CREATE);
  track_creation_order(fcpl.get(), true);
  const auto fapl = property_list(H5P_FILE_ACCESS);
  check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_SEMI), "H5Pset_fclose_degree");
  return Handle(check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()),
                      "H5Fcreate '" + path.string() + "'"),
                H5Fclose);
}

Handle create_file(const std::filesystem::path& path, std::size_t chunk_cache_bytes) {
  const auto fcpl = property_list(H5P_FILE_CREATE);
  track_creation_order(fcpl.get(), true);
  const auto fapl = property_list(H5P_FILE_ACCESS);
  check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_SEMI), "H5Pset_fclose_degree");
  check(H5Pset_cache(fapl.get(), 0, 521, chunk_cache_bytes, 0.75), "H5Pset_cache");
  return Handle(check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()),
                      "H5Fcreate '" + path.string() + "'"),
                H5Fclose);
}

Handle create_memory_file(const std::string& name) {
  const auto fcpl = property_list(H5P_FILE_CREATE);
  track_creation_order(fcpl.get(), true);
  const auto fapl = property_list(H5P_FILE_ACCESS);
  check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_SEMI), "H5Pset_fclose_degree");
  check(H5Pset_fapl_core(fapl.get(), 1 << 20, 0), "H5Pset_fapl_core");
  return Handle(check(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()), "H5Fcreate (in memory)"),
                H5Fclose);
}

std::vector<char> file_image(hid_t file) {
  check(H5Fflush(file, H5F_SCOPE_GLOBAL), "H5Fflush");
  const ssize_t size = check(H5Fget_file_image(file, nullptr, 0), "H5Fget_file_image");
  std::vector<char> image(static_cast<std::size_t>(size));
  check(H5Fget_file_image(file, image.data(), image.size()), "H5Fget_file_image");
  return image;
}

Handle open_file(const std::filesystem::path& path) {
  return Handle(
      check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "H5Fopen '" + path.string() + "'"),
      H5Fclose);
}

Handle create_group(hid_t loc, const std::string& name) {
  const auto gcpl = property_list(H5P_GROUP_CREATE);
  track_creation_order(gcpl.get(), true);
  return Handle(check(H5Gcreate2(loc, name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT),
                      "H5Gcreate2 '" + name + "'"),
                H5Gclose);
}

Handle string_type() {
  Handle type(check(H5Tcopy(H5T_C_S1), "H5Tcopy"), H5Tclose);
  check(H5Tset_size(type.get(), H5T_VARIABLE), "H5Tset_size");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "H5Tset_cset");
  check(H5Tset_strpad(type.get(), H5T_STR_NULLTERM), "H5Tset_strpad");
  return type;
}

bool link_exists(hid_t loc, const std::string& name) { return H5Lexists(loc, name.c_str(), H5P_DEFAULT) > 0; }

Handle open_dataset(hid_t loc, const std::string& name) {
  return Handle(check(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), "H5Dopen2 '" + name + "'"), H5Dclose);
}

Handle open_group(hid_t loc, const std::string& name) {
  return Handle(check(H5Gopen2(loc, name.c_str(), H5P_DEFAULT), "H5Gopen2 '" + name + "'"), H5Gclose);
}

std::string read_string_attribute(hid_t obj, const std::string& name) {
  if (H5Aexists(obj, name.c_str()) <= 0) return {};
  const Handle a(check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "H5Aopen '" + name + "'"), H5Aclose);
  const Handle file_type(check(H5Aget_type(a.get()), "H5Aget_type"), H5Tclose);
  if (H5Tget_class(file_type.get()) != H5T_STRING || H5Tis_variable_str(file_type.get()) <= 0) return {};
  const auto type = string_type();
  char* text = nullptr;
  check(H5Aread(a.get(), type.get(), &text), "H5Aread '" + name + "'");
  std::string out = text ? text : "";
  H5free_memory(text);
  return out;
}

std::optional<std::int64_t> read_int_attribute(hid_t obj, const std::string& name) {
  if (H5Aexists(obj, name.c_str()) <= 0) return std::nullopt;
  const Handle a(check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "H5Aopen '" + name + "'"), H5Aclose);
  std::int64_t v = 0;
  check(H5Aread(a.get(), H5T_NATIVE_INT64, &v), "H5Aread '" + name + "'");
  return v;
}

std::vector<hsize_t> dims(hid_t dataset) {
  const Handle space(check(H5Dget_space(dataset), "H5Dget_space"), H5Sclose);
  const int rank = check(H5Sget_simple_extent_ndims(space.get()), "H5Sget_simple_extent_ndims");
  std::vector<hsize_t> out(static_cast<std::size_t>(rank));
  if (rank > 0) check(H5Sget_simple_extent_dims(space.get(), out.data(), nullptr), "H5Sget_simple_extent_dims");
  return out;
}

std::vector<std::string> link_names(hid_t loc) {
  H5G_info_t info{};
  check(H5Gget_info(loc, &info), "H5Gget_info");
  const H5_index_t index = info.max_corder > 0 ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
  std::vector<std::string> out;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const auto size = check(H5Lget_name_by_idx(loc, ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT),
                            "H5Lget_name_by_idx");
    std::string name(static_cast<std::size_t>(size) + 1, '\0');
    H5Lget_name_by_idx(loc, ".", index, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT);
    name.resize(static_cast<std::size_t>(size));
    out.push_back(std::move(name));
  }
  return out;
}

void write_attribute(hid_t obj, const std::string& name, std::string_view value) {
  const auto type = string_type();
  const std::string text(value);  // NUL-terminated copy
  const char* pointer = text.c_str();
  write_scalar_attribute(obj, name, type.get(), &pointer);
}

void write_attribute(hid_t obj, const std::string& name, std::int64_t value) {
  write_scalar_attribute(obj, name, H5T_NATIVE_INT64, &value);
}

void write_attribute(hid_t obj, const std::string& name, std::uint64_t value) {
  write_scalar_attribute(obj, name, H5T_NATIVE_UINT64, &value);
}

void write_attribute(hid_t obj, const std::string& name, double value) {
  write_scalar_attribute(obj, name, H5T_NATIVE_DOUBLE, &value);
}

void write_attribute(hid_t obj, const std::string& name, const Attribute& value) {
  std::visit(
      [&](const auto& v) {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) {
          write_attribute(obj, name, std::string_view(v));
        } else {
          write_attribute(obj, name, v);
        }
      },
      value);
}

void write_variable_attributes(hid_t dataset, const VariableInfo& info) {
  write_attribute(dataset, "units", std::string_view(info.units));
  write_attribute(dataset, "long_name", std::string_view(info.long_name));
  if (!info.cell_methods.empty()) {
    write_attribute(dataset, "cell_methods", std::string_view(info.cell_methods));
  }
  if (!info.account.empty()) {
    write_attribute(dataset, "account", std::string_view(info.account));
    write_attribute(dataset, "cash_sign", std::int64_t{info.cash_sign});
    write_attribute(dataset, "account_kind", std::string_view(info.account_kind));
  }
  if (!info.coordinates.empty()) write_attribute(dataset, "coordinates", std::string_view(info.coordinates));
}

std::vector<hsize_t> chunk_shape(std::span<const hsize_t> dims) {
  std::vector<hsize_t> chunk;
  chunk.reserve(dims.size());
  for (const auto d : dims) chunk.push_back(std::clamp<hsize_t>(d, 1, max_chunk_elements));
  const auto elements = [&] {
    return std::accumulate(chunk.begin(), chunk.end(), hsize_t{1}, std::multiplies<>());
  };
  for (auto& c : chunk) {
    while (c > 1 && elements() > max_chunk_elements) c = (c + 1) / 2;
  }
  return chunk;
}

Handle create_dataset(hid_t loc, const std::string& name, hid_t type,
                      std::span<const hsize_t> dims, const DatasetLayout& layout) {
  std::vector<hsize_t> max_dims = layout.max_dims;
  if (max_dims.empty()) max_dims.assign(dims.begin(), dims.end());
  if (max_dims.size() != dims.size()) {
    throw std::invalid_argument("dataset '" + name + "': max_dims has the wrong rank");
  }
  const auto space = simple_space(dims, max_dims.data());

  const auto dcpl = property_list(H5P_DATASET_CREATE);
  track_creation_order(dcpl.get(), false);
  const bool never_holds_data = std::find(max_dims.begin(), max_dims.end(), 0) != max_dims.end();
  if (!never_holds_data) {
    const auto chunk = layout.chunk.empty() ? chunk_shape(dims) : layout.chunk;
    check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()),
          "H5Pset_chunk '" + name + "'");
    // Deflating variable-length strings only compresses heap pointers; leave them raw.
    const bool variable_length = check(H5Tis_variable_str(type), "H5Tis_variable_str") > 0;
    if (layout.deflate_level > 0 && !variable_length) {
      check(H5Pset_shuffle(dcpl.get()), "H5Pset_shuffle");
      check(H5Pset_deflate(dcpl.get(), layout.deflate_level), "H5Pset_deflate");
    }
  }
  return Handle(check(H5Dcreate2(loc, name.c_str(), type, space.get(), H5P_DEFAULT, dcpl.get(),
                                 H5P_DEFAULT),
                      "H5Dcreate2 '" + name + "'"),
                H5Dclose);
}

void write_block(hid_t dataset, hid_t mem_type, std::span<const hsize_t> offset,
                 std::span<const hsize_t> count, const void* buffer) {
  const auto elements =
      std::accumulate(count.begin(), count.end(), hsize_t{1}, std::multiplies<>());
  if (elements == 0) return;
  const auto name = object_name(dataset);
  const Handle file_space(check(H5Dget_space(dataset), "H5Dget_space '" + name + "'"),
                          H5Sclose);
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, offset.data(), nullptr,
                            count.data(), nullptr),
        "H5Sselect_hyperslab '" + name + "'");
  const auto memory_space = simple_space(count);
  check(H5Dwrite(dataset, mem_type, memory_space.get(), file_space.get(), H5P_DEFAULT, buffer),
        "H5Dwrite '" + name + "'");
}

void write_block(hid_t dataset, std::span<const hsize_t> offset, std::span<const hsize_t> count,
                 const ColumnData& values) {
  const auto elements =
      std::accumulate(count.begin(), count.end(), hsize_t{1}, std::multiplies<>());
  if (elements != size_of(values)) {
    throw std::invalid_argument("dataset '" + object_name(dataset) + "': block of " +
                                std::to_string(elements) + " elements but " +
                                std::to_string(size_of(values)) + " values");
  }
  std::visit(
      [&](const auto& v) {
        using T = typename std::decay_t<decltype(v)>::value_type;
        if constexpr (std::is_same_v<T, double>) {
          write_block(dataset, H5T_NATIVE_DOUBLE, offset, count, v.data());
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          write_block(dataset, H5T_NATIVE_INT64, offset, count, v.data());
        } else {
          std::vector<const char*> pointers;
          pointers.reserve(v.size());
          for (const auto& s : v) pointers.push_back(s.c_str());
          const auto type = string_type();
          write_block(dataset, type.get(), offset, count, pointers.data());
        }
      },
      values);
}

Handle file_type_of(const ColumnData& values) {
  switch (values.index()) {
    case 0:
      return Handle(check(H5Tcopy(H5T_IEEE_F64LE), "H5Tcopy"), H5Tclose);
    case 1:
      return Handle(check(H5Tcopy(H5T_STD_I64LE), "H5Tcopy"), H5Tclose);
    default:
      return string_type();
  }
}

std::size_t size_of(const ColumnData& values) {
  return std::visit([](const auto& v) { return v.size(); }, values);
}

void make_dimension_scale(hid_t dataset, const std::string& dimension) {
  check(H5DSset_scale(dataset, dimension.c_str()), "H5DSset_scale '" + dimension + "'");
}

void attach_scale(hid_t dataset, hid_t scale, unsigned axis) {
  check(H5DSattach_scale(dataset, scale, axis),
        "H5DSattach_scale '" + object_name(scale) + "' to '" + object_name(dataset) + "'");
}

Handle write_coordinate(hid_t loc, const VariableInfo& info, const ColumnData& values) {
  const std::vector<hsize_t> dims{size_of(values)};
  const auto type = file_type_of(values);
  auto dataset = create_dataset(loc, info.name, type.get(), dims);
  const std::vector<hsize_t> offset{0};
  write_block(dataset.get(), offset, dims, values);
  make_dimension_scale(dataset.get(), info.name);
  write_variable_attributes(dataset.get(), info);
  return dataset;
}

Handle write_variable(hid_t loc, const VariableInfo& info, std::span<const hsize_t> dims,
                      std::span<const hid_t> scales, const ColumnData& values,
                      const DatasetLayout& layout) {
  if (scales.size() != dims.size()) {
    throw std::invalid_argument("variable '" + info.name + "': " + std::to_string(dims.size()) +
                                " axes but " + std::to_string(scales.size()) + " scales");
  }
  const auto type = file_type_of(values);
  auto dataset = create_dataset(loc, info.name, type.get(), dims, layout);
  const std::vector<hsize_t> offset(dims.size(), 0);
  write_block(dataset.get(), offset, dims, values);
  write_variable_attributes(dataset.get(), info);
  for (std::size_t axis = 0; axis < scales.size(); ++axis) {
    attach_scale(dataset.get(), scales[axis], static_cast<unsigned>(axis));
  }
  return dataset;
}

}  // namespace hybridsim::sim::output::hdf5
