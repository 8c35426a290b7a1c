#pragma once
/// Writes a RunDataset as an HDF5 file that `xarray.open_dataset(path, engine="h5netcdf")`
/// opens with named dimensions (netCDF-4 dimension scales) and decoded time.
#include <filesystem>
#include <vector>

#include "sim/output/dataset.hpp"

namespace hybridsim::sim::output {

/// Throws std::invalid_argument if `data` cannot be written: a name HDF5 cannot take or
/// taken twice, a series whose length does not match the time axis, a dimension given
/// other labels by two series or a label twice, a table with columns of unequal length.
void validate_run_dataset(const RunDataset& data);

/// The bytes of the HDF5 file holding `data`, built in memory (HDF5's core driver): HDF5
/// never touches the disk, so a full disk cannot leave it in a state it fails to close.
/// Throws std::invalid_argument for an inconsistent dataset, hdf5::Error if HDF5 fails.
std::vector<char> run_hdf5_image(const RunDataset& data);

/// Writes `data` to `path` atomically through an OutputFile (output_file.hpp): a failed write
/// leaves nothing new at `path` and any previous file intact. Throws config::ScenarioError
/// when the path or the disk cannot take the file.
void write_run_hdf5(const std::filesystem::path& path, const RunDataset& data);

}  // namespace hybridsim::sim::output
