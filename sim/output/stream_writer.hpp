#pragma once
/// Writes a run's HDF5 file while the run goes on: a RecordSink that a streaming Recorder
/// feeds with blocks of samples and chunks of table rows, written by a thread of its own so
/// that writing (and HDF5's shuffle + deflate compression) overlaps simulating, and memory
/// holds a few blocks instead of the whole run.
///
/// The file has the layout run_hdf5_image gives a RunDataset (docs/output.md): `time`, the
/// label coordinates, the series in declaration order, then the tables, then the root
/// attributes; only the chunking differs (series and tables grow along an unlimited axis,
/// in chunks of a block of stamps or up to 16,384 rows).
///
/// Every HDF5 call happens on the writer thread (the library is not thread-safe). The
/// first error there (a full disk, an invalid name) is kept and rethrown by the next call
/// from the simulating thread, so a failing write stops the run early; finish() rethrows it
/// too. The caller owns the file's fate: write to an OutputFile's temporary and commit it
/// only after finish() returns.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "sim/output/dataset.hpp"
#include "sim/output/recorder.hpp"

namespace hybridsim::sim::output {

class StreamWriter final : public RecordSink {
 public:
  /// Creates (truncating) the HDF5 file at `path` on the writer thread. At most
  /// `max_pending` blocks wait to be written; a faster simulation waits for the writer.
  explicit StreamWriter(std::filesystem::path path, std::size_t max_pending = 4);
  /// Stops the writer thread and closes the file if finish() was not called (errors ignored).
  ~StreamWriter() override;
  StreamWriter(const StreamWriter&) = delete;
  StreamWriter& operator=(const StreamWriter&) = delete;

  void begin(const RunDataset& layout) override;
  void series_block(RunDataset block) override;
  void table_rows(Table rows) override;

  /// Writes `attributes` on the root group, waits for everything queued, closes the file and
  /// stops the thread. Rethrows the writer's first error (std::invalid_argument for a layout
  /// it cannot write, hdf5::Error for a failed write).
  void finish(const std::vector<std::pair<std::string, Attribute>>& attributes);

 private:
  struct State;  // the HDF5 objects: touched by the writer thread only

  // Queues `task` for the writer thread (waiting while max_pending tasks are queued);
  // rethrows the writer's error if it has one.
  void post(std::function<void(State&)> task);
  void rethrow_if_failed();
  void work();
  void stop() noexcept;

  std::unique_ptr<State> state_;
  std::size_t max_pending_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::function<void(State&)>> queue_;
  bool stopping_ = false;
  bool busy_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace hybridsim::sim::output
