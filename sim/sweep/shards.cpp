#include "sim/sweep/shards.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>
#include <unistd.h>

#include <charconv>
#include <cstring>
#include <map>
#include <optional>

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

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::string members_text(std::pair<std::int64_t, std::int64_t> r) {
  return r.second - r.first == 1 ? "member " + std::to_string(r.first)
                                 : "members " + std::to_string(r.first) + ".." + std::to_string(r.second - 1);
}

/// Names of the links of `loc` and whether each is a group, in name order.
std::vector<std::pair<std::string, bool>> children(hid_t loc) {
  H5G_info_t info{};
  check(H5Gget_info(loc, &info), "H5Gget_info");
  std::vector<std::pair<std::string, bool>> out;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const auto size = H5Lget_name_by_idx(loc, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    std::string name(static_cast<std::size_t>(size) + 1, '\0');
    H5Lget_name_by_idx(loc, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT);
    name.resize(static_cast<std::size_t>(size));
    H5O_info_t o{};
    check(H5Oget_info_by_name(loc, name.c_str(), &o, H5P_DEFAULT), "H5Oget_info_by_name");
    out.emplace_back(name, o.type == H5O_TYPE_GROUP);
  }
  return out;
}

/// Elements [first, last) of a 1-D dataset, or all of it, as raw bytes in the file's type
/// (variable-length strings as pointers: release with reclaim()).
struct Block {
  Handle type;
  std::vector<std::uint8_t> bytes;
  hsize_t count = 0;
};

Block read_block(hid_t dataset, hsize_t first, hsize_t count) {
  Block b;
  b.type = Handle(check(H5Dget_type(dataset), "H5Dget_type"), H5Tclose);
  b.count = count;
  b.bytes.resize(static_cast<std::size_t>(count * H5Tget_size(b.type.get())));
  if (count == 0) return b;
  const Handle file_space(check(H5Dget_space(dataset), "H5Dget_space"), H5Sclose);
  const hsize_t offset[] = {first};
  const hsize_t n[] = {count};
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, offset, nullptr, n, nullptr), "H5Sselect_hyperslab");
  const Handle memory(check(H5Screate_simple(1, n, nullptr), "H5Screate_simple"), H5Sclose);
  check(H5Dread(dataset, b.type.get(), memory.get(), file_space.get(), H5P_DEFAULT, b.bytes.data()), "H5Dread");
  return b;
}

void reclaim(Block& b) {
  if (b.count == 0 || H5Tis_variable_str(b.type.get()) <= 0) return;
  const hsize_t n[] = {b.count};
  const Handle memory(check(H5Screate_simple(1, n, nullptr), "H5Screate_simple"), H5Sclose);
  H5Dvlen_reclaim(b.type.get(), memory.get(), H5P_DEFAULT, b.bytes.data());
}

void write_block_at(hid_t dataset, hsize_t first, const Block& b) {
  if (b.count == 0) return;
  h5::write_block(dataset, b.type.get(), std::vector<hsize_t>{first}, std::vector<hsize_t>{b.count}, b.bytes.data());
}

/// What merge needs to know of one shard file.
struct ShardFile {
  std::filesystem::path path;
  Handle file;
  std::string hash;
  std::int64_t members = 0;
  Shard shard;
  std::pair<std::int64_t, std::int64_t> range;
};

ShardFile open_shard(const std::filesystem::path& path) {
  const Location where{path.string()};
  if (!std::filesystem::is_regular_file(path)) throw ScenarioError(where, "no such file");
  if (H5Fis_hdf5(path.c_str()) <= 0) throw ScenarioError(where, "not an HDF5 file");
  ShardFile s;
  s.path = path;
  s.file = Handle(check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "H5Fopen '" + path.string() + "'"), H5Fclose);
  const hid_t root = s.file.get();
  s.hash = h5::read_string_attribute(root, "sweep_hash");
  if (s.hash.empty()) throw ScenarioError(where, "not a hybridsim sweep file (no sweep_hash attribute)");
  const auto index = h5::read_int_attribute(root, "shard_index"), count = h5::read_int_attribute(root, "shard_count");
  if (!index || !count)
    throw ScenarioError(where, "not a shard: the sweep was run without --shard (only files of `hybridsim sweep "
                               "--shard i/N` merge)");
  s.members = h5::read_int_attribute(root, "members").value_or(0);
  s.shard = {*index, *count};
  s.range = shard_range(s.members, s.shard);
  if (h5::read_int_attribute(root, "shard_first") != s.range.first || h5::read_int_attribute(root, "shard_last") != s.range.second)
    throw ScenarioError(where, "its shard attributes do not match shard " + std::to_string(*index) + "/" +
                                   std::to_string(*count) + " of " + std::to_string(s.members) + " members");
  const auto done_set = open_dataset(root, "done");
  std::vector<std::uint8_t> done(static_cast<std::size_t>(s.members));
  check(H5Dread(done_set.get(), H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, done.data()), "H5Dread done");
  std::int64_t have = 0;
  for (std::int64_t i = s.range.first; i < s.range.second; ++i) have += done[static_cast<std::size_t>(i)] ? 1 : 0;
  if (have != s.range.second - s.range.first)
    throw ScenarioError(where, "shard " + std::to_string(*index) + "/" + std::to_string(*count) + " is incomplete: " +
                                   std::to_string(have) + " of its " + std::to_string(s.range.second - s.range.first) +
                                   " members (" + members_text(s.range) +
                                   ") are done; finish it with the same `hybridsim sweep ... --shard " +
                                   std::to_string(*index) + "/" + std::to_string(*count) + "` and --resume");
  return s;
}

/// Copies the stored chunks of runs [first, last) of every (run, ...) series.
void copy_series(hid_t src_root, hid_t dst_root, std::int64_t members, std::pair<std::int64_t, std::int64_t> range) {
  std::vector<std::uint8_t> buffer;
  for (const auto& [name, group] : children(src_root)) {
    if (group) continue;
    const auto src = open_dataset(src_root, name);
    const auto dims = h5::dims(src.get());
    if (dims.size() < 2 || dims[0] != static_cast<hsize_t>(members)) continue;
    const Handle dcpl(check(H5Dget_create_plist(src.get()), "H5Dget_create_plist"), H5Pclose);
    if (H5Pget_layout(dcpl.get()) != H5D_CHUNKED) continue;
    std::vector<hsize_t> chunk(dims.size());
    check(H5Pget_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), "H5Pget_chunk");
    const auto dst = open_dataset(dst_root, name);
    if (h5::dims(dst.get()) != dims) throw std::runtime_error("series '" + name + "' differs in shape between shards");
    std::vector<hsize_t> offset(dims.size(), 0);
    for (std::int64_t run = range.first; run < range.second; ++run) {
      // Every chunk of this run: offsets along the other axes in steps of the chunk shape.
      std::fill(offset.begin(), offset.end(), 0);
      offset[0] = static_cast<hsize_t>(run);
      for (;;) {
        hsize_t size = 0;
        if (H5Dget_chunk_storage_size(src.get(), offset.data(), &size) >= 0 && size > 0) {
          buffer.resize(static_cast<std::size_t>(size));
          std::uint32_t filters = 0;
          check(H5Dread_chunk(src.get(), H5P_DEFAULT, offset.data(), &filters, buffer.data()),
                "H5Dread_chunk '" + name + "'");
          check(H5Dwrite_chunk(dst.get(), H5P_DEFAULT, filters, offset.data(), size, buffer.data()),
                "H5Dwrite_chunk '" + name + "'");
        }
        std::size_t axis = dims.size() - 1;
        while (axis > 0) {
          offset[axis] += chunk[axis];
          if (offset[axis] < dims[axis]) break;
          offset[axis] = 0;
          --axis;
        }
        if (axis == 0) break;
      }
    }
  }
}

/// Copies elements [first, last) of the named 1-D datasets over `run`.
void copy_run_elements(hid_t src, hid_t dst, const std::string& name, std::pair<std::int64_t, std::int64_t> range) {
  const auto s = open_dataset(src, name);
  const auto d = open_dataset(dst, name);
  auto block = read_block(s.get(), static_cast<hsize_t>(range.first), static_cast<hsize_t>(range.second - range.first));
  write_block_at(d.get(), static_cast<hsize_t>(range.first), block);
  reclaim(block);
}

/// Text columns are fixed-width strings whose width each shard chose from its first member
/// (sweep_file.cpp): a value wider than the output's column (shard 1's) would be cut by HDF5's
/// conversion, so refuse instead. Old shards' variable-length strings are checked the same way.
void check_text_fits(hid_t src, hid_t dst, const std::string& table, const std::string& column, hsize_t rows) {
  const Handle dst_type(check(H5Dget_type(dst), "H5Dget_type"), H5Tclose);
  if (H5Tget_class(dst_type.get()) != H5T_STRING || H5Tis_variable_str(dst_type.get()) > 0) return;
  const std::size_t width = H5Tget_size(dst_type.get());
  const Handle src_type(check(H5Dget_type(src), "H5Dget_type"), H5Tclose);
  if (H5Tis_variable_str(src_type.get()) <= 0 && H5Tget_size(src_type.get()) <= width) return;
  std::string wide;  // the first value that does not fit
  if (H5Tis_variable_str(src_type.get()) > 0) {
    const auto text = h5::string_type();
    std::vector<char*> values(rows, nullptr);
    check(H5Dread(src, text.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "H5Dread '" + column + "'");
    for (const char* v : values)
      if (v && wide.empty() && std::strlen(v) > width) wide = v;
    const hsize_t n[] = {rows};
    const Handle memory(check(H5Screate_simple(1, n, nullptr), "H5Screate_simple"), H5Sclose);
    H5Dvlen_reclaim(text.get(), memory.get(), H5P_DEFAULT, values.data());
  } else {  // HDF5 converts no fixed-length string to variable-length: read them as they are
    const std::size_t src_width = H5Tget_size(src_type.get());
    std::vector<char> values(rows * src_width);
    check(H5Dread(src, src_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "H5Dread '" + column + "'");
    for (hsize_t i = 0; i < rows && wide.empty(); ++i) {
      const char* v = values.data() + i * src_width;
      if (const auto n = strnlen(v, src_width); n > width) wide.assign(v, n);
    }
  }
  if (!wide.empty())
    throw std::runtime_error("table '" + table + "', column '" + column + "': a shard holds the value '" + wide +
                             "' (" + std::to_string(wide.size()) + " bytes), wider than the column of shard 1 (" +
                             std::to_string(width) + " bytes); merging would cut it");
}

/// Appends every row of the shard's tables (groups with a `run` column) to the output's,
/// numbering the rows of each table's own dimension on from the output's last.
void append_tables(hid_t src_root, hid_t dst_root) {
  for (const auto& [name, group] : children(src_root)) {
    if (!group || name == "params" || name == "summary") continue;
    const Handle src(check(H5Gopen2(src_root, name.c_str(), H5P_DEFAULT), "H5Gopen2"), H5Gclose);
    if (H5Lexists(src.get(), "run", H5P_DEFAULT) <= 0) continue;
    if (H5Lexists(dst_root, name.c_str(), H5P_DEFAULT) <= 0)
      throw std::runtime_error("table '" + name + "' is in one shard and not in another");
    const Handle dst(check(H5Gopen2(dst_root, name.c_str(), H5P_DEFAULT), "H5Gopen2"), H5Gclose);
    for (const auto& [column, sub] : children(src.get())) {
      if (sub) continue;
      const auto s = open_dataset(src.get(), column);
      const auto d = open_dataset(dst.get(), column);
      const hsize_t rows = h5::dims(s.get()).at(0), start = h5::dims(d.get()).at(0);
      if (rows == 0) continue;
      check_text_fits(s.get(), d.get(), name, column, rows);
      auto block = read_block(s.get(), 0, rows);
      if (H5DSis_scale(s.get()) > 0) {  // the table's own index: 0..n-1 over the whole sweep
        std::vector<std::int64_t> numbers(rows);
        for (hsize_t i = 0; i < rows; ++i) numbers[i] = static_cast<std::int64_t>(start + i);
        std::memcpy(block.bytes.data(), numbers.data(), block.bytes.size());
      }
      const hsize_t size[] = {start + rows};
      check(H5Dset_extent(d.get(), size), "H5Dset_extent '" + column + "'");
      write_block_at(d.get(), start, block);
      reclaim(block);
    }
  }
}

}  // namespace

Shard parse_shard(const std::string& text, std::int64_t members) {
  const Location where{"--shard " + text};
  const auto slash = text.find('/');
  const auto i = slash == std::string::npos ? std::nullopt : parse_int(std::string_view(text).substr(0, slash));
  const auto n = slash == std::string::npos ? std::nullopt : parse_int(std::string_view(text).substr(slash + 1));
  if (!i || !n) throw ScenarioError(where, "expected i/N, shard i of N (e.g. 2/8)");
  if (*n < 1) throw ScenarioError(where, "N must be at least 1");
  if (*i < 1 || *i > *n) throw ScenarioError(where, "i must be in 1..N (here 1.." + std::to_string(*n) + ")");
  if (*n > members)
    throw ScenarioError(where, "the sweep has " + std::to_string(members) + " members; N must be at most that, so "
                                                                             "that every shard holds one");
  return {*i, *n};
}

bool opens_as_hdf5(const std::filesystem::path& path) {
  const h5::ErrorSilencer silencer;
  if (!std::filesystem::is_regular_file(path) || H5Fis_hdf5(path.c_str()) <= 0) return false;
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) return false;
  H5Fclose(id);
  return true;
}

std::optional<Shard> recorded_shard(const std::filesystem::path& path) {
  const h5::ErrorSilencer silencer;
  if (!std::filesystem::is_regular_file(path) || H5Fis_hdf5(path.c_str()) <= 0) return std::nullopt;
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) return std::nullopt;
  const Handle file(id, H5Fclose);
  const auto index = h5::read_int_attribute(file.get(), "shard_index"), count = h5::read_int_attribute(file.get(), "shard_count");
  if (!index || !count) return std::nullopt;
  return Shard{*index, *count};
}

std::pair<std::int64_t, std::int64_t> shard_range(std::int64_t members, const Shard& s) {
  // floor(k·M/N) without forming k·M: k·(M div N) + floor(k·(M mod N)/N).
  const std::int64_t q = members / s.count, r = members % s.count;
  const auto at = [&](std::int64_t k) { return k * q + k * r / s.count; };
  return {at(s.index - 1), at(s.index)};
}

std::int64_t merge_shards(const std::filesystem::path& output, const std::vector<std::filesystem::path>& paths) {
  const h5::ErrorSilencer silencer;
  const Location merge{"hybridsim merge"};
  if (paths.empty()) throw ScenarioError(merge, "no shard files given");
  std::vector<ShardFile> shards;
  for (const auto& p : paths) {
    if (std::filesystem::exists(output) && std::filesystem::equivalent(p, output))
      throw ScenarioError(Location{output.string()}, "the output is one of the shards; write to a new file");
    shards.push_back(open_shard(p));
  }
  const ShardFile& first = shards.front();
  std::map<std::int64_t, const ShardFile*> by_index;
  for (const auto& s : shards) {
    const Location where{s.path.string()};
    const std::string name = std::to_string(s.shard.index) + "/" + std::to_string(s.shard.count);
    if (s.hash != first.hash)
      throw ScenarioError(where, "shard of another sweep (hash " + s.hash + "; " + first.path.string() + " has " +
                                     first.hash + "): shards merge only with shards of the same scenario, --set, "
                                     "seed and sweep block");
    if (s.members != first.members || s.shard.count != first.shard.count)
      throw ScenarioError(where, "shard " + name + " of " + std::to_string(s.members) + " members, but " +
                                     first.path.string() + " is shard " + std::to_string(first.shard.index) + "/" +
                                     std::to_string(first.shard.count) + " of " + std::to_string(first.members) +
                                     ": the shards of one sweep share N");
    if (const auto [it, fresh] = by_index.emplace(s.shard.index, &s); !fresh)
      throw ScenarioError(where, "shard " + name + " is given twice (also " + it->second->path.string() + ")");
  }
  std::string missing;
  for (std::int64_t i = 1; i <= first.shard.count; ++i)
    if (!by_index.contains(i))
      missing += (missing.empty() ? "" : ", ") + std::to_string(i) + "/" + std::to_string(first.shard.count) + " (" +
                 members_text(shard_range(first.members, {i, first.shard.count})) + ")";
  if (!missing.empty())
    throw ScenarioError(merge, "shard" + std::string(missing.find(',') == std::string::npos ? " " : "s ") + missing +
                                   (missing.find(',') == std::string::npos ? " is" : " are") +
                                   " missing; every shard 1.." + std::to_string(first.shard.count) +
                                   " of the sweep is needed");

  // Shard 1's file is the start (same layout, member table and attributes); then the rest.
  auto temporary = output;
  temporary += ".tmp-" + std::to_string(::getpid());
  const ShardFile& one = *by_index.at(1);
  try {
    std::filesystem::copy_file(one.path, temporary, std::filesystem::copy_options::overwrite_existing);
    {
      const Handle out(check(H5Fopen(temporary.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), "H5Fopen"), H5Fclose);
      const hid_t root = out.get();
      const Handle summary(check(H5Gopen2(root, "summary", H5P_DEFAULT), "H5Gopen2 summary"), H5Gclose);
      for (const auto& [index, s] : by_index) {
        if (index == 1) continue;
        const hid_t src = s->file.get();
        copy_series(src, root, s->members, s->range);
        copy_run_elements(src, root, "done", s->range);
        const Handle src_summary(check(H5Gopen2(src, "summary", H5P_DEFAULT), "H5Gopen2 summary"), H5Gclose);
        for (const auto& [metric, group] : children(src_summary.get()))
          if (!group && metric != "run") copy_run_elements(src_summary.get(), summary.get(), metric, s->range);
        append_tables(src, root);
      }
      for (const char* name : {"shard_index", "shard_count", "shard_first", "shard_last"})
        check(H5Adelete(root, name), "H5Adelete");
      check(H5Fflush(root, H5F_SCOPE_GLOBAL), "H5Fflush");
    }
    std::filesystem::rename(temporary, output);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw;
  }
  return first.members;
}

}  // namespace hybridsim::sweep
