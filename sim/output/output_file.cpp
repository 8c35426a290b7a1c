#include "sim/output/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>
#include <system_error>

#include "sim/config/errors.hpp"

namespace hybridsim::sim::output {
namespace {

// The one temporary a signal handler may have to remove (async-signal-safe: a fixed buffer
// and a flag; unlink() is safe to call from a handler).
char g_temporary[4096];
volatile std::sig_atomic_t g_has_temporary = 0;

void remember(const std::filesystem::path& p) {
  const std::string s = p.string();
  if (s.size() >= sizeof g_temporary) return;
  g_has_temporary = 0;
  std::memcpy(g_temporary, s.c_str(), s.size() + 1);
  g_has_temporary = 1;
}

void forget() { g_has_temporary = 0; }

extern "C" void remove_temporary_and_die(int signal) {
  if (g_has_temporary) ::unlink(g_temporary);
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

std::string errno_text(int error) { return std::error_code(error, std::generic_category()).message(); }

}  // namespace

void install_signal_cleanup() {
  struct sigaction action {};
  action.sa_handler = remove_temporary_and_die;
  sigemptyset(&action.sa_mask);
  for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaction(s, &action, nullptr);
  std::signal(SIGXFSZ, SIG_IGN);
}

OutputFile::OutputFile(std::filesystem::path path, const std::filesystem::path& input) : path_(std::move(path)) {
  namespace fs = std::filesystem;
  const std::string text = path_.string();
  if (text.empty()) fail("empty output path; give a file name such as results/run.h5");
  if (text.back() == '/') fail("ends in '/'; give a file name such as " + text + "run.h5");
  std::error_code ec;
  const fs::file_status link = fs::symlink_status(path_, ec);
  std::optional<fs::perms> mode;
  if (fs::exists(link)) {
    if (fs::is_symlink(link))
      fail("is a symbolic link; hybridsim replaces only regular files (remove the link or choose another name)");
    if (fs::is_directory(link)) fail("is a folder; give a file name inside it, such as " + (path_ / "run.h5").string());
    if (!fs::is_regular_file(link))
      fail("is not a regular file (a device, a pipe or a socket); hybridsim replaces only regular files");
    if (!input.empty() && fs::equivalent(path_, input, ec))
      fail("is the scenario file itself; choose another output name (e.g. results/<scenario>.h5)");
    mode = link.permissions();
  }
  folder_ = path_.has_parent_path() ? path_.parent_path() : fs::path(".");
  const fs::file_status folder = fs::status(folder_, ec);
  if (!fs::exists(folder)) fail("the folder " + folder_.string() + " does not exist; create it first");
  if (!fs::is_directory(folder)) fail(folder_.string() + " is not a folder");

  temporary_ = path_;
  temporary_ += ".tmp-" + std::to_string(::getpid());
  fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd_ < 0) {
    const int error = errno;
    temporary_.clear();
    fail("cannot create a file in the folder " + folder_.string() + ": " + errno_text(error));
  }
  remember(temporary_);
  if (mode) ::fchmod(fd_, static_cast<mode_t>(*mode) & 07777);
}

OutputFile::~OutputFile() { discard(); }

void OutputFile::discard() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temporary_.empty()) ::unlink(temporary_.c_str());
  temporary_.clear();
  forget();
}

void OutputFile::fail(const std::string& message) {
  discard();
  throw config::ScenarioError(config::Location{path_.string()}, message);
}

std::optional<std::uintmax_t> OutputFile::free_bytes() const {
  struct statvfs s {};
  if (::statvfs(folder_.c_str(), &s) != 0) return std::nullopt;
  return static_cast<std::uintmax_t>(s.f_bavail) * s.f_frsize;
}

void OutputFile::commit_written() {
  if (fd_ < 0) throw std::logic_error("OutputFile::commit_written called twice");
  const auto failed = [&](const std::string& what) {
    const int error = errno;
    fail(what + ": " + errno_text(error) + "; nothing was written and any previous file is left as it was");
  };
  // Our descriptor still refers to the temporary HDF5 wrote (it truncated, not replaced, it).
  if (::fsync(fd_) != 0) failed("cannot flush the file to the disk");
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) failed("cannot close the file");
  rename_into_place();
}

void OutputFile::rename_into_place() {
  if (::rename(temporary_.c_str(), path_.c_str()) != 0) {
    const int error = errno;
    fail("cannot rename the finished file into place: " + errno_text(error) +
         "; nothing was written and any previous file is left as it was");
  }
  temporary_.clear();
  forget();
  // The rename is durable once the folder is flushed too.
  const int dir = ::open(folder_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

void OutputFile::commit(std::span<const char> bytes) {
  if (fd_ < 0) throw std::logic_error("OutputFile::commit called twice");
  const auto failed = [&](const std::string& what) {
    const int error = errno;
    fail(what + ": " + errno_text(error) + "; nothing was written and any previous file is left as it was");
  };
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      failed("cannot write " + std::to_string(bytes.size()) + " bytes (" + std::to_string(done) + " written)");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd_) != 0) failed("cannot flush the file to the disk");
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) failed("cannot close the file");
  rename_into_place();
}

}  // namespace hybridsim::sim::output
