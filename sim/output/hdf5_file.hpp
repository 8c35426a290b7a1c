#pragma once
/// A thin RAII layer over the HDF5 C API, shared by the writers of result files.
///
/// It knows how to lay variables out so that netCDF readers (h5netcdf, xarray, netCDF-C)
/// see named dimensions: a coordinate is a dimension scale named after its dimension, and
/// every variable has the scales of its axes attached. Nothing here knows about runs; the
/// run writer (and later the sweep writer, which stores (run, time) variables and extends
/// them as runs finish) compose these pieces.
///
/// The HDF5 library this links against is not thread-safe: all calls into this layer must
/// come from one thread at a time (e.g. a single writer thread).
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <span>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/output/dataset.hpp"

namespace hybridsim::sim::output::hdf5 {

/// A failed HDF5 call; what() names the operation and carries HDF5's own error stack.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// HDF5's current error stack (of the calling thread) as one line, innermost cause last;
/// empty if there is none. Call it right after the failing call: each API call resets it.
std::string error_stack_text();

/// Throws Error("<what>: <HDF5 error stack>") if `result` is negative, else returns it.
/// Works for hid_t, herr_t, htri_t and ssize_t results alike.
template <typename Result>
Result check(Result result, std::string_view what) {
  if (result < 0) {
    std::string message(what);
    if (const auto stack = error_stack_text(); !stack.empty()) message += ": " + stack;
    throw Error(message);
  }
  return result;
}

/// Stops HDF5 from printing error stacks to stderr for its lifetime (errors are reported
/// through exceptions instead) and restores the previous handler afterwards.
class ErrorSilencer {
 public:
  ErrorSilencer();
  ~ErrorSilencer();
  ErrorSilencer(const ErrorSilencer&) = delete;
  ErrorSilencer& operator=(const ErrorSilencer&) = delete;

 private:
  H5E_auto2_t old_func_ = nullptr;
  void* old_data_ = nullptr;
};

/// Owns one HDF5 identifier and releases it with the matching H5*close function.
/// Move-only; an empty Handle holds H5I_INVALID_HID.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);

  Handle() = default;
  /// Takes ownership of `id`, which must be valid (check() the creating call first).
  Handle(hid_t id, Closer closer) noexcept : id_(id), closer_(closer) {}
  ~Handle() { reset(); }

  Handle(Handle&& other) noexcept;
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid_t get() const noexcept { return id_; }
  explicit operator bool() const noexcept { return id_ >= 0; }

  /// Closes now and throws Error if HDF5 reports a failure (closing a file flushes it, so
  /// this is where write errors can surface). On failure the handle keeps its id.
  /// The destructor ignores such failures.
  void close();

  /// Closes now, ignoring failures.
  void reset() noexcept;

  /// Gives up ownership without closing (the id is left to HDF5's own cleanup at exit).
  hid_t release() noexcept { return std::exchange(id_, H5I_INVALID_HID); }

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

/// Creates (truncating) an HDF5 file laid out the way netCDF-4 expects: link and attribute
/// creation order tracked, so variables and attributes read back in the order written.
/// Closing the file fails while any object in it is still open, so handle leaks show up
/// as errors rather than as silently unflushed data.
Handle create_file(const std::filesystem::path& path);
/// As create_file, with a chunk cache of `chunk_cache_bytes` per dataset instead of HDF5's
/// 1 MB: a writer that writes whole chunks once needs none, and with a hundred growing
/// datasets the default holds a hundred megabytes.
Handle create_file(const std::filesystem::path& path, std::size_t chunk_cache_bytes);

/// Creates an HDF5 file in memory only (the core driver, no backing store), laid out as
/// create_file's; `name` only identifies it. Take its bytes with file_image().
Handle create_memory_file(const std::string& name);

/// Flushes `file` and returns its image: the bytes an on-disk file would hold.
std::vector<char> file_image(hid_t file);

/// Opens an existing file read-only.
Handle open_file(const std::filesystem::path& path);

/// Creates group `name` under `loc` (creation order tracked, as for the file).
Handle create_group(hid_t loc, const std::string& name);

/// The file and memory type used for strings: variable-length, UTF-8, NUL-terminated.
/// h5py, h5netcdf and xarray read these back as Python str.
Handle string_type();

/// Writes scalar attribute `name` on object `obj`.
void write_attribute(hid_t obj, const std::string& name, std::string_view value);
void write_attribute(hid_t obj, const std::string& name, std::int64_t value);
void write_attribute(hid_t obj, const std::string& name, std::uint64_t value);
void write_attribute(hid_t obj, const std::string& name, double value);
/// Writes an attribute of any of the RunDataset attribute types.
void write_attribute(hid_t obj, const std::string& name, const Attribute& value);

// Reading back what the writers above wrote (sweep files, shards, sensitivity input).

/// True when `loc` has a link called `name`.
bool link_exists(hid_t loc, const std::string& name);
Handle open_dataset(hid_t loc, const std::string& name);
Handle open_group(hid_t loc, const std::string& name);
/// The variable-length string attribute `name` of `obj`; empty when there is none (or it is
/// not a variable-length string).
std::string read_string_attribute(hid_t obj, const std::string& name);
/// The integer attribute `name` of `obj`; nullopt when there is none.
std::optional<std::int64_t> read_int_attribute(hid_t obj, const std::string& name);
/// The extent of each axis of `dataset`.
std::vector<hsize_t> dims(hid_t dataset);
/// The names of the links in group `loc`: in creation order when the group tracks it, else by name.
std::vector<std::string> link_names(hid_t loc);

/// Writes `units`, `long_name` and, when non-empty, `cell_methods` on a variable.
void write_variable_attributes(hid_t dataset, const VariableInfo& info);

/// Largest number of elements in one chunk.
inline constexpr hsize_t max_chunk_elements = 64 * 1024;

/// A chunk shape for a dataset of extents `dims`: each axis as long as the data (at least
/// 1, at most max_chunk_elements), then leading axes halved until a chunk holds at most
/// max_chunk_elements. Leading axes go first because for (run, time) a chunk should be
/// a stretch of one run's series, the unit a sweep writer appends.
std::vector<hsize_t> chunk_shape(std::span<const hsize_t> dims);

/// How a new dataset is stored.
struct DatasetLayout {
  /// Maximum extents; empty means "same as the current extents" (fixed size).
  /// Use H5S_UNLIMITED for an axis that will grow.
  std::vector<hsize_t> max_dims;
  /// Chunk shape; empty means chunk_shape(dims).
  std::vector<hsize_t> chunk;
  /// Deflate level (0 turns compression and shuffle off).
  unsigned deflate_level = 1;
};

/// Creates dataset `name` of element type `type` with current extents `dims`. It is
/// chunked and compressed (shuffle + deflate) unless it can never hold data (a fixed
/// extent of 0, which HDF5 cannot chunk): those are stored contiguous.
Handle create_dataset(hid_t loc, const std::string& name, hid_t type,
                      std::span<const hsize_t> dims, const DatasetLayout& layout = {});

/// Writes the block of `count` elements starting at `offset` from `buffer` (row-major,
/// element type `mem_type`). A block of zero elements is a no-op.
void write_block(hid_t dataset, hid_t mem_type, std::span<const hsize_t> offset,
                 std::span<const hsize_t> count, const void* buffer);

/// Writes the block of `count` elements at `offset` from `values`, which must hold exactly
/// that many elements.
void write_block(hid_t dataset, std::span<const hsize_t> offset,
                 std::span<const hsize_t> count, const ColumnData& values);

/// The HDF5 file type of a column: float64, int64 or a variable-length string.
Handle file_type_of(const ColumnData& values);

/// Number of elements held by `values`.
std::size_t size_of(const ColumnData& values);

/// Makes `dataset` the dimension scale (netCDF coordinate variable) of dimension
/// `dimension`; netCDF readers take the dimension's name from the dataset's own name, so
/// the two should match.
void make_dimension_scale(hid_t dataset, const std::string& dimension);

/// Attaches dimension scale `scale` to axis `axis` of `dataset`.
void attach_scale(hid_t dataset, hid_t scale, unsigned axis);

/// Creates 1-D coordinate `info.name` under `loc` holding `values`, with its attributes,
/// and makes it the dimension scale of the dimension of the same name.
Handle write_coordinate(hid_t loc, const VariableInfo& info, const ColumnData& values);

/// Creates variable `info.name` under `loc` with extents `dims`, writes `values` (row-major,
/// exactly the product of `dims` elements) and its attributes, and attaches `scales[i]` to
/// axis i (one scale per axis).
Handle write_variable(hid_t loc, const VariableInfo& info, std::span<const hsize_t> dims,
                      std::span<const hid_t> scales, const ColumnData& values,
                      const DatasetLayout& layout = {});

}  // namespace hybridsim::sim::output::hdf5
