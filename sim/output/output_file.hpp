#pragma once
/// Where a run's result file goes: checked before the run, written atomically after it.
///
/// The output path must be a new name or an existing regular file (never a folder, a device,
/// a symbolic link, or the scenario itself). A temporary file `<path>.tmp-<pid>` is created
/// beside it up front — so an unwritable folder is reported before hours of simulation — and
/// filled, fsync'ed and renamed over `path` by commit(). An existing file keeps its mode. If
/// anything fails (a full disk, a file-size limit) the temporary is removed and the previous
/// file is left intact; SIGINT, SIGTERM and SIGHUP remove it too (install_signal_cleanup).
/// Every failure is a config::ScenarioError naming the path: it is the user's environment.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>

namespace hybridsim::sim::output {

class OutputFile {
 public:
  /// Checks `path` and reserves its temporary. `input`, when given, is a file the output must
  /// not replace (the scenario).
  explicit OutputFile(std::filesystem::path path, const std::filesystem::path& input = {});
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  /// Writes `bytes` to the temporary, flushes it to the disk and renames it to the path.
  void commit(std::span<const char> bytes);
  /// The temporary was filled by another writer (a StreamWriter, through HDF5, now closed):
  /// flushes it to the disk and renames it to the path.
  void commit_written();

  const std::filesystem::path& path() const { return path_; }
  const std::filesystem::path& temporary() const { return temporary_; }
  /// Bytes free for an unprivileged user in the output's folder (nullopt if unknown).
  std::optional<std::uintmax_t> free_bytes() const;

 private:
  [[noreturn]] void fail(const std::string& message);
  void discard() noexcept;
  void rename_into_place();

  std::filesystem::path path_;
  std::filesystem::path folder_;
  std::filesystem::path temporary_;
  int fd_ = -1;
};

/// Makes SIGINT, SIGTERM and SIGHUP remove the temporary of the OutputFile alive at that
/// moment before the process dies of the signal, and ignores SIGXFSZ so that a file-size
/// limit shows as a write error (EFBIG) instead of killing the process.
void install_signal_cleanup();

}  // namespace hybridsim::sim::output
