#include "tools/cli/report_command.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include <fmt/format.h>

namespace hybridsim::tools {

namespace {

// The built package sits at <build>/python/hybridsim, beside <build>/bin/hybridsim; the build
// folder is the fallback when the program was copied elsewhere.
std::filesystem::path package_parent() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto beside = exe.parent_path().parent_path() / "python";
    if (std::filesystem::is_directory(beside / "hybridsim", ec)) return beside;
  }
  return HYBRIDSIM_PYTHON_DIR;
}

}  // namespace

CLI::App* add_report_command(CLI::App& app, ReportCommandOptions& o) {
  auto* sub = app.add_subcommand(
      "report", "draw a one-page summary (PNG or PDF) of a run's, a sweep's or a sensitivity HDF5 file");
  sub->add_option("file", o.file, "HDF5 file written by `hybridsim run`, `hybridsim sweep` or `hybridsim analyze -o`")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("-o,--output", o.output, "image to write: .png or .pdf (default: the file's name with .png)");
  sub->add_option("--sensitivity", o.sensitivity, "with a sweep: its Sobol' indices (`hybridsim analyze -o FILE`)")
      ->check(CLI::ExistingFile);
  return sub;
}

int run_report_command(const ReportCommandOptions& o) {
  const std::string parent = package_parent().string();
  const char* old = std::getenv("PYTHONPATH");
  const std::string path = old && *old ? parent + ":" + old : parent;
  ::setenv("PYTHONPATH", path.c_str(), 1);
  std::vector<std::string> args{HYBRIDSIM_PYTHON_EXECUTABLE, "-m", "hybridsim.report", o.file};
  if (!o.output.empty()) args.insert(args.end(), {"-o", o.output});
  if (!o.sensitivity.empty()) args.insert(args.end(), {"--sensitivity", o.sensitivity});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::execv(argv[0], argv.data());
  fmt::print(stderr, "hybridsim report: cannot run {}: {}\n", argv[0], std::strerror(errno));
  return 1;
}

}  // namespace hybridsim::tools
