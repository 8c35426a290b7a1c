// libFuzzer harness: the scenario loader on arbitrary bytes, then one short run of what it
// accepts. Bad input must end in a ScenarioError; anything else (a crash, a sanitizer report,
// another exception, a hang) is a finding. Built by tools/fuzz.sh with clang's
// -fsanitize=fuzzer,address,undefined.
#include <cstddef>
#include <cstdint>
#include <string>

#include "models/catalogue.hpp"
#include "sim/config/document.hpp"
#include "sim/run/scenario.hpp"
#include "sim/run/simulation.hpp"

namespace hs = hybridsim::sim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto doc = hs::config::Document::load_string(text, "fuzz.yaml");
    hs::Scenario scenario = hs::load_scenario(doc, hybridsim::models::plugins());
    // One short run: a few days at most, sampled daily, so each input costs milliseconds.
    if (scenario.horizon_s > 7 * hs::kSecondsPerDay) scenario.horizon_s = 7 * hs::kSecondsPerDay;
    if (scenario.record_every_s > scenario.horizon_s) scenario.record_every_s = scenario.horizon_s;
    if (scenario.record_every_s < hs::kSecondsPerHour) scenario.record_every_s = hs::kSecondsPerHour;
    hs::Simulation sim(std::move(scenario));
    (void)sim.run();
  } catch (const hs::config::ScenarioError&) {
    // the expected outcome for bad input
  }
  return 0;
}
