#pragma once
/// The resume journal: `<out>.journal`, an append-only sidecar of the sweep file holding every
/// member the writer has received, whole (member_codec.hpp), each record framed by its length
/// and a CRC-32 checksum (zlib's). A record is built by record() on the worker that ran the
/// member, so the writer thread only hands finished bytes to the kernel.
///
/// Why: HDF5 1.10 updates its metadata in place and has no journal of its own, so a kill
/// inside an H5Fflush can leave the sweep file unreadable. The journal is the record that
/// --resume trusts: a record is appended (and handed to the kernel) before the member is
/// committed to the file, a torn last record fails its checksum and is dropped, and resume
/// rebuilds the sweep file from the journal's members. Survives kill -9 (the kernel keeps what
/// was written); not a power cut (no fsync). Deleted once the sweep file is closed complete.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "sim/sweep/member_result.hpp"

namespace hybridsim::sweep {

class SweepJournal {
 public:
  /// The journal of sweep file `output`.
  static std::filesystem::path path_for(const std::filesystem::path& output);

  /// Starts an empty journal for sweep `hash` of `members` members (replacing one there).
  static SweepJournal create(const std::filesystem::path& path, const std::string& hash, std::int64_t members);
  /// Reads a journal: calls `member` with each whole record in order, cuts a torn tail and
  /// opens it for appending. Returns false (and leaves the file alone) if there is no journal
  /// or it belongs to another sweep.
  static bool replay(const std::filesystem::path& path, const std::string& hash, std::int64_t members,
                     const std::function<void(MemberResult)>& member, SweepJournal& out);

  SweepJournal() = default;
  SweepJournal(SweepJournal&&) noexcept;
  SweepJournal& operator=(SweepJournal&&) noexcept;
  ~SweepJournal();

  /// A member's record (frame and serialized member), ready for append(): any thread may
  /// build it. The second form frames bytes already serialized (serialize_member).
  static std::vector<std::uint8_t> record(const MemberResult& r);
  static std::vector<std::uint8_t> record(std::span<const std::uint8_t> serialized);

  /// Appends a member and hands it to the kernel. Throws std::runtime_error on failure.
  void append(const MemberResult& r) { append(record(r)); }
  /// Appends a record made by record().
  void append(std::span<const std::uint8_t> record);
  /// Closes and deletes the journal (the sweep file is complete).
  void remove();

 private:
  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
};

}  // namespace hybridsim::sweep
