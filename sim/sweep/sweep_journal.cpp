#include "sim/sweep/sweep_journal.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>
#include <vector>

#include <zlib.h>

#include "sim/sweep/member_codec.hpp"

namespace hybridsim::sweep {

namespace {

// Version 2: CRC-32 frames (version 1 had FNV-1a 64, 8x slower on a member's megabytes); a
// version-1 journal does not match the header and is ignored, as a journal of another sweep.
constexpr char kMagic[8] = {'H', 'S', 'J', 'O', 'U', 'R', 'N', '2'};

std::uint64_t checksum(std::span<const std::uint8_t> bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes lengths as uInt: feed large records in pieces.
  for (std::size_t at = 0; at < bytes.size();) {
    const std::size_t n = std::min<std::size_t>(bytes.size() - at, std::size_t{1} << 30);
    crc = crc32(crc, bytes.data() + at, static_cast<uInt>(n));
    at += n;
  }
  return crc;
}

std::string header(const std::string& hash, std::int64_t members) {
  return std::string(kMagic, 8) + hash + " " + std::to_string(members) + "\n";
}

void write_all(std::FILE* f, const void* p, std::size_t n, const std::filesystem::path& path) {
  if (std::fwrite(p, 1, n, f) != n)
    throw std::runtime_error("cannot write the journal " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

std::filesystem::path SweepJournal::path_for(const std::filesystem::path& output) {
  auto p = output;
  p += ".journal";
  return p;
}

SweepJournal::SweepJournal(SweepJournal&& o) noexcept : path_(std::move(o.path_)), file_(std::exchange(o.file_, nullptr)) {}
SweepJournal& SweepJournal::operator=(SweepJournal&& o) noexcept {
  if (this != &o) {
    if (file_) std::fclose(file_);
    path_ = std::move(o.path_);
    file_ = std::exchange(o.file_, nullptr);
  }
  return *this;
}
SweepJournal::~SweepJournal() {
  if (file_) std::fclose(file_);
}

SweepJournal SweepJournal::create(const std::filesystem::path& path, const std::string& hash, std::int64_t members) {
  SweepJournal j;
  j.path_ = path;
  j.file_ = std::fopen(path.c_str(), "wb");
  if (!j.file_) throw std::runtime_error("cannot create the journal " + path.string() + ": " + std::strerror(errno));
  const auto h = header(hash, members);
  write_all(j.file_, h.data(), h.size(), path);
  if (std::fflush(j.file_) != 0) throw std::runtime_error("cannot write the journal " + path.string());
  return j;
}

bool SweepJournal::replay(const std::filesystem::path& path, const std::string& hash, std::int64_t members,
                          const std::function<void(MemberResult)>& member, SweepJournal& out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  const auto expected = header(hash, members);
  std::string got(expected.size(), '\0');
  if (std::fread(got.data(), 1, got.size(), f) != got.size() || got != expected) {
    std::fclose(f);
    return false;
  }
  long good = std::ftell(f);  // the end of the last whole record
  std::vector<std::uint8_t> bytes;
  for (;;) {
    std::uint64_t frame[2];  // size, checksum
    if (std::fread(frame, sizeof frame, 1, f) != 1) break;
    if (frame[0] > (std::uint64_t{1} << 40)) break;
    bytes.resize(static_cast<std::size_t>(frame[0]));
    if (std::fread(bytes.data(), 1, bytes.size(), f) != bytes.size()) break;
    if (checksum(bytes) != frame[1]) break;
    MemberResult r;
    try {
      r = deserialize_member(bytes);
    } catch (const std::runtime_error&) {
      break;
    }
    if (r.index < 0 || r.index >= members) break;
    member(std::move(r));
    good = std::ftell(f);
  }
  std::fclose(f);
  std::filesystem::resize_file(path, static_cast<std::uintmax_t>(good));  // cut a torn tail
  out.path_ = path;
  out.file_ = std::fopen(path.c_str(), "ab");
  if (!out.file_) throw std::runtime_error("cannot append to the journal " + path.string() + ": " + std::strerror(errno));
  return true;
}

std::vector<std::uint8_t> SweepJournal::record(std::span<const std::uint8_t> serialized) {
  const std::uint64_t frame[2] = {serialized.size(), checksum(serialized)};
  std::vector<std::uint8_t> out(sizeof frame + serialized.size());
  std::memcpy(out.data(), frame, sizeof frame);
  std::memcpy(out.data() + sizeof frame, serialized.data(), serialized.size());
  return out;
}

std::vector<std::uint8_t> SweepJournal::record(const MemberResult& r) { return record(serialize_member(r)); }

void SweepJournal::append(std::span<const std::uint8_t> record) {
  write_all(file_, record.data(), record.size(), path_);
  if (std::fflush(file_) != 0) throw std::runtime_error("cannot write the journal " + path_.string());
}

void SweepJournal::remove() {
  if (file_) std::fclose(file_);
  file_ = nullptr;
  if (!path_.empty()) std::filesystem::remove(path_);
}

}  // namespace hybridsim::sweep
