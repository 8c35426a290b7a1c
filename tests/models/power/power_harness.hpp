#pragma once
// Shared set-up of the power price tests: the registered catalogue, a scratch folder for CSV
// files, and building a model from a YAML snippet as the scenario loader does.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "models/power/power_catalogue.hpp"
#include "sim/config/document.hpp"

namespace power_test {

inline const hybridsim::models::power::PowerCatalogue& catalogue() {
  static const hybridsim::models::power::PowerCatalogue c = [] {
    hybridsim::models::power::PowerCatalogue out;
    hybridsim::models::power::register_power_models(out);
    return out;
  }();
  return c;
}

constexpr std::int64_t k2024_01_01 = 1'704'067'200;  // a Monday, 00:00 UTC

inline hybridsim::sim::config::BuildContext context(std::int64_t epoch = k2024_01_01, const std::string& dir = "") {
  hybridsim::sim::config::BuildContext c;
  c.epoch_unix_s = epoch;
  c.horizon_s = 365 * 86400;
  c.scenario_dir = dir;
  return c;
}

inline std::unique_ptr<hybridsim::sim::PowerPriceModel> build(const std::string& yaml,
                                                              const hybridsim::sim::config::BuildContext& ctx = context()) {
  auto doc = hybridsim::sim::config::Document::load_string(yaml, "scenario.yaml");
  return hybridsim::sim::config::read_model(doc, doc.root(), "world.power_price", catalogue().power_price, ctx).make();
}

struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& tag)
      : path(std::filesystem::temp_directory_path() / ("hybridsim-" + tag + "-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

}  // namespace power_test
