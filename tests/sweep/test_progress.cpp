// The progress printer shared by sweeps (members done) and single runs (simulated time).
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include "sim/sweep/progress.hpp"

using hybridsim::sweep::Progress;

namespace {

std::string contents(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string text;
  for (int c; (c = std::fgetc(f)) != EOF;) text.push_back(static_cast<char>(c));
  return text;
}

}  // namespace

TEST_CASE("a run's progress in a log: plain lines with the date, the share done and the time left", "[progress]") {
  std::FILE* log = std::tmpfile();
  REQUIRE(log);
  {
    Progress p(1000, log, false, 0.0, "run", 0.0);  // a line at every update
    int calls = 0;
    p.update(250, [&] { ++calls; return std::string("2031-01-01 UTC, 1.50 M events/s"); });
    p.update(500, [&] { ++calls; return std::string("2032-01-01 UTC, 1.40 M events/s"); });
    p.finish();
    CHECK(calls == 3);  // the final line asks the last detail again (where the run ended)
  }
  const std::string text = contents(log);
  CHECK(text.find("run: 2031-01-01 UTC, 1.50 M events/s (25%), ETA ") == 0);
  CHECK(text.find("\nrun: 2032-01-01 UTC, 1.40 M events/s (50%), ETA ") != std::string::npos);
  CHECK(text.find("\nrun: 2032-01-01 UTC, 1.40 M events/s (50%) in ") != std::string::npos);
  CHECK(text.find('\r') == std::string::npos);           // no redrawing in a log
  std::fclose(log);
}

TEST_CASE("a quick run prints no progress at all", "[progress]") {
  std::FILE* log = std::tmpfile();
  REQUIRE(log);
  {
    Progress p(1000, log, true, 10.0, "run", 60.0);  // nothing before a minute
    int calls = 0;
    p.update(500, [&] { ++calls; return std::string("x"); });
    p.finish();
    CHECK(calls == 0);  // the detail is not even built
  }
  CHECK(contents(log).empty());
  std::fclose(log);
}

TEST_CASE("a sweep's progress keeps its members line", "[progress]") {
  std::FILE* log = std::tmpfile();
  REQUIRE(log);
  {
    Progress p(3, log, false, 1e9);
    p.advance();
    p.advance();
    p.advance();
    p.finish();
  }
  CHECK(contents(log).rfind("sweep: 3/3 members in ", 0) == 0);
  std::fclose(log);
}
