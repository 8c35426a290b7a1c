#pragma once
/// Writes a RunDataset as an HDF5 file that `xarray.open_dataset(path, engine="h5netcdf")`
/// opens with named dimensions (netCDF-4 dimension scales) and decoded time.
#include <filesystem>

#include "sim/output/dataset.hpp"

namespace hybridsim::sim::output {

/// Writes `data` to `path` atomically: the file is written under a temporary name in the
/// same folder and renamed only once complete, so a failed run leaves nothing at `path`.
/// Throws std::runtime_error (with the HDF5 error text) on failure.
void write_run_hdf5(const std::filesystem::path& path, const RunDataset& data);

}  // namespace hybridsim::sim::output
