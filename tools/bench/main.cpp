// `hybridsim-bench <benchmark> [options]`: dispatches to the table in benches.hpp.
#include <CLI/CLI.hpp>

#include "tools/bench/benches.hpp"

int main(int argc, char** argv) {
  CLI::App app{"hybridsim micro-benchmarks; each prints one JSON line"};
  app.require_subcommand(1);
  for (const auto& bench : hybridsim::bench::kBenches)
    bench.configure(*app.add_subcommand(bench.name, bench.summary));
  CLI11_PARSE(app, argc, argv);
  return 0;
}
