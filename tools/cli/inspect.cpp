#include "tools/cli/inspect.hpp"

#include <hdf5.h>

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

namespace hybridsim::tools {
namespace {

std::string read_string_attr(hid_t obj, const char* name) {
  if (H5Aexists(obj, name) <= 0) return "";
  const hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  const hid_t ft = H5Aget_type(a);
  std::string out;
  if (H5Tget_class(ft) == H5T_STRING) {
    if (H5Tis_variable_str(ft) > 0) {
      char* s = nullptr;
      const hid_t mt = H5Tcopy(H5T_C_S1);
      H5Tset_size(mt, H5T_VARIABLE);
      H5Tset_cset(mt, H5Tget_cset(ft));
      if (H5Aread(a, mt, &s) >= 0 && s) out = s;
      if (s) H5free_memory(s);
      H5Tclose(mt);
    } else {
      std::vector<char> buf(H5Tget_size(ft) + 1, '\0');
      H5Aread(a, ft, buf.data());
      out = buf.data();
    }
  } else if (H5Tget_class(ft) == H5T_INTEGER) {
    long long v = 0;
    H5Aread(a, H5T_NATIVE_LLONG, &v);
    out = std::to_string(v);
  } else if (H5Tget_class(ft) == H5T_FLOAT) {
    double v = 0;
    H5Aread(a, H5T_NATIVE_DOUBLE, &v);
    out = fmt::format("{:.6g}", v);
  }
  H5Tclose(ft);
  H5Aclose(a);
  return out;
}

herr_t print_attr(hid_t loc, const char* name, const H5A_info_t*, void* data) {
  auto& out = *static_cast<std::ostream*>(data);
  std::string v = read_string_attr(loc, name);
  if (v.find('\n') != std::string::npos) v = fmt::format("({} lines of text)", std::count(v.begin(), v.end(), '\n'));
  out << fmt::format("  {:<32} {}\n", name, v);
  return 0;
}

struct Walk {
  std::ostream* out;
};

herr_t print_object(hid_t root, const char* name, const H5O_info_t* info, void* data) {
  auto& out = *static_cast<Walk*>(data)->out;
  if (info->type == H5O_TYPE_GROUP && std::string(name) != ".") {
    const hid_t g = H5Gopen2(root, name, H5P_DEFAULT);
    out << fmt::format("\ngroup /{} — {}\n", name, read_string_attr(g, "long_name"));
    H5Gclose(g);
  }
  if (info->type != H5O_TYPE_DATASET) return 0;
  const hid_t d = H5Dopen2(root, name, H5P_DEFAULT);
  const hid_t sp = H5Dget_space(d);
  const int rank = H5Sget_simple_extent_ndims(sp);
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  H5Sget_simple_extent_dims(sp, dims.data(), nullptr);
  std::string shape;
  for (std::size_t i = 0; i < dims.size(); ++i) shape += (i ? "×" : "") + std::to_string(dims[i]);
  out << fmt::format("  {:<34} [{:>8}] {:<18} {}\n", name, shape, read_string_attr(d, "units"),
                     read_string_attr(d, "long_name"));
  H5Sclose(sp);
  H5Dclose(d);
  return 0;
}

}  // namespace

int inspect(std::ostream& out, const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) {
    out.flush();
    fmt::print(stderr, "hybridsim: {}: not an HDF5 file\n", path);
    return 2;
  }
  out << path << "\nroot attributes:\n";
  hsize_t idx = 0;
  H5Aiterate2(f, H5_INDEX_NAME, H5_ITER_NATIVE, &idx, print_attr, &out);
  out << "\nvariables (name [shape] units — long name):\n";
  Walk w{&out};
  H5Ovisit(f, H5_INDEX_NAME, H5_ITER_INC, print_object, &w);
  H5Fclose(f);
  out << "\nopen in Python: xarray.open_dataset(path, engine=\"h5netcdf\") (tables: group=\"network_events\")\n";
  return 0;
}

}  // namespace hybridsim::tools
