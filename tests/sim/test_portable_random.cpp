// Portable variates: fixed vectors from the seeded engine (the formulas were checked
// independently in Python from the engine's raw outputs), the engine itself against the
// value the C++ standard gives, and the fixed count of engine outputs per variate.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/core/portable_random.hpp"

namespace hs = hybridsim::sim;

namespace {
// Compares to 15 significant digits: the formulas use log, cos and exp, whose last bit may
// differ between C libraries (the engine outputs and the choices do not).
void check_close(double got, double want) { CHECK(got == Approx(want).epsilon(1e-14)); }
}  // namespace

TEST_CASE("the engine is the standard's mt19937_64", "[random]") {
  hs::Rng r;  // default seed 5489
  r.discard(9999);
  CHECK(r() == 9981545732273789042ULL);  // [rand.predef]
  hs::Rng s(42);
  CHECK(s() == 13930160852258120406ULL);
  CHECK(s() == 11788048577503494824ULL);
}

TEST_CASE("uniform, normal, exponential and lognormal: fixed vectors", "[random]") {
  hs::Rng a(42);
  for (double want : {0.75515553295453897, 0.63903139385469743, 0.75214520074802671}) check_close(hs::uniform_open01(a), want);
  hs::Rng b(42);
  for (double want : {-0.48121769980184498, 0.49458385623521328, 0.37455426884981347}) check_close(hs::standard_normal(b), want);
  hs::Rng c(42);
  for (double want : {0.56166309407141635, 0.8956033922967227, 0.56965177513983978}) check_close(hs::exponential(c, 2.0), want);
  hs::Rng d(42);
  for (double want : {2.136974727478977, 3.4809036447761859, 3.278143101273971}) check_close(hs::lognormal(d, 1.0, 0.5), want);
}

TEST_CASE("poisson and weighted choice: fixed vectors", "[random]") {
  hs::Rng a(42);
  for (long want : {4L, 3L, 4L, 1L, 5L, 1L}) CHECK(hs::poisson(a, 3.0) == want);
  hs::Rng b(42);
  for (long want : {1022L, 1011L, 1021L}) CHECK(hs::poisson(b, 1000.0) == want);
  hs::Rng c(42);
  const std::vector<double> w{6, 3, 1};
  for (std::size_t want : {1u, 1u, 1u, 0u, 2u, 0u, 0u, 0u}) CHECK(hs::pick_weighted(c, w) == want);
  hs::Rng d(42);
  CHECK(hs::pick_weighted(d, {0.0, 2.0, 0.0}) == 1);  // a zero weight is never chosen
}

TEST_CASE("each variate takes a fixed number of engine outputs, whatever its parameters", "[random]") {
  const auto used = [](auto draw) {
    hs::Rng r(7);
    draw(r);
    hs::Rng ref(7);
    for (int n = 0; n < 10; ++n) {
      hs::Rng probe = ref;
      if (probe() == r()) return n;  // the next output of r is the (n+1)-th of the stream
      ref();
      r = hs::Rng(7);
      draw(r);
    }
    return -1;
  };
  CHECK(used([](hs::Rng& r) { hs::uniform_open01(r); }) == 1);
  CHECK(used([](hs::Rng& r) { hs::standard_normal(r); }) == 2);
  CHECK(used([](hs::Rng& r) { hs::exponential(r, 0.0); }) == 1);
  CHECK(used([](hs::Rng& r) { hs::lognormal(r, 0.0, 0.0); }) == 2);
  CHECK(used([](hs::Rng& r) { hs::poisson(r, 0.0); }) == 1);
  CHECK(used([](hs::Rng& r) { hs::poisson(r, 1e4); }) == 1);
  CHECK(used([](hs::Rng& r) { hs::pick_weighted(r, {1.0}); }) == 1);
  CHECK(used([](hs::Rng& r) { hs::pick_weighted(r, {}); }) == 1);
}

TEST_CASE("poisson: mean and variance of many draws", "[random]") {
  hs::Rng r(3);
  for (double mean : {0.02, 2.5, 40.0}) {
    double s = 0, s2 = 0;
    const int n = 20000;
    for (int i = 0; i < n; ++i) {
      const double x = static_cast<double>(hs::poisson(r, mean));
      s += x;
      s2 += x * x;
    }
    const double m = s / n;
    CHECK(m == Approx(mean).epsilon(0.05).margin(0.01));
    CHECK(s2 / n - m * m == Approx(mean).epsilon(0.1).margin(0.01));
  }
}

TEST_CASE("stream seeds are fixed by (seed, name)", "[random]") {
  CHECK(hs::RngStreams::stream_seed(42, "asic_failures.S21") == 7945132679056195041ULL);
  CHECK(hs::RngStreams::stream_seed(42, "asic_failures.S21") != hs::RngStreams::stream_seed(42, "asic_failures.S19"));
}
