// The design generators: Sobol' points against published values, Latin hypercube strata,
// Saltelli's A/B/A_B^i structure, member seeds, and the chunk codec.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <set>

#include "sim/sweep/chunk_codec.hpp"
#include "sim/sweep/design.hpp"
#include "sim/sweep/seeds.hpp"
#include "sim/sweep/sobol_sequence.hpp"

using namespace hybridsim::sweep;

TEST_CASE("Sobol' points match the unscrambled Joe-Kuo sequence", "[sweep][sobol]") {
  // SciPy's qmc.Sobol(d=3, scramble=False).random(8), the same table and Gray-code order.
  const double expected[8][3] = {{0, 0, 0},           {0.5, 0.5, 0.5},       {0.75, 0.25, 0.25},
                                 {0.25, 0.75, 0.75},  {0.375, 0.375, 0.625}, {0.875, 0.875, 0.125},
                                 {0.625, 0.125, 0.875}, {0.125, 0.625, 0.375}};
  SobolSequence s(3);
  const Eigen::MatrixXd p = s.points(8);
  for (int i = 0; i < 8; ++i)
    for (int d = 0; d < 3; ++d) CHECK(p(i, d) == expected[i][d]);
}

TEST_CASE("every Sobol' dimension stratifies, and pairs of the first two form a (0,m,2)-net", "[sweep][sobol]") {
  SobolSequence s(SobolSequence::kMaxDimensions);
  const Eigen::MatrixXd p = s.points(256);
  for (int d = 0; d < SobolSequence::kMaxDimensions; ++d) {
    std::set<int> cells;
    for (int i = 0; i < 256; ++i) cells.insert(static_cast<int>(p(i, d) * 256));
    CHECK(cells.size() == 256);
  }
  std::set<std::pair<int, int>> squares;
  for (int i = 0; i < 16; ++i) squares.emplace(static_cast<int>(p(i, 0) * 4), static_cast<int>(p(i, 1) * 4));
  CHECK(squares.size() == 16);
  CHECK_THROWS_AS(SobolSequence(SobolSequence::kMaxDimensions + 1), std::invalid_argument);
}

TEST_CASE("a Latin hypercube puts one point in every stratum of every column", "[sweep][lhs]") {
  const Eigen::MatrixXd p = latin_hypercube(50, 4, 7);
  for (int d = 0; d < 4; ++d) {
    std::set<int> strata;
    for (int i = 0; i < 50; ++i) {
      REQUIRE(p(i, d) >= 0.0);
      REQUIRE(p(i, d) < 1.0);
      strata.insert(static_cast<int>(p(i, d) * 50));
    }
    CHECK(strata.size() == 50);
  }
  CHECK(latin_hypercube(50, 4, 7) == p);
  CHECK(latin_hypercube(50, 4, 8) != p);
}

TEST_CASE("Saltelli's design: A, A_B^i and B for every sample", "[sweep][sobol]") {
  const int d = 3;
  const SaltelliDesign s = saltelli_design(8, d);
  REQUIRE(s.points.rows() == 8 * (d + 2));
  for (std::int64_t j = 0; j < 8; ++j) {
    const auto a = s.points.row(j * (d + 2));
    const auto b = s.points.row(j * (d + 2) + d + 1);
    CHECK(s.block[j * (d + 2)] == 0);
    CHECK(s.block[j * (d + 2) + d + 1] == d + 1);
    for (int i = 1; i <= d; ++i) {
      const auto ab = s.points.row(j * (d + 2) + i);
      CHECK(s.sample[j * (d + 2) + i] == j);
      for (int c = 0; c < d; ++c) CHECK(ab(c) == (c == i - 1 ? b(c) : a(c)));
    }
  }
  // The origin (Sobol' point 0) is skipped.
  CHECK(s.points.row(0).norm() > 0);
}

TEST_CASE("member seeds are fixed by the base seed and the index, and fit in 63 bits", "[sweep][seeds]") {
  std::set<std::uint64_t> seen;
  for (std::uint64_t i = 0; i < 1000; ++i) {
    const auto s = member_seed(42, i);
    CHECK(s < (std::uint64_t{1} << 63));
    seen.insert(s);
  }
  CHECK(seen.size() == 1000);
  CHECK(member_seed(42, 3) == member_seed(42, 3));
  CHECK(member_seed(42, 3) != member_seed(43, 3));
  // SplitMix64 reference: the first output from state 0 is 0xe220a8397b1dcdaf.
  CHECK(SplitMix64(0).next() == 0xe220a8397b1dcdafULL);
}

TEST_CASE("the chunk codec round-trips shuffled, deflated doubles", "[sweep][codec]") {
  std::vector<double> v(1000);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = 0.5 * static_cast<double>(i) - 3.25;
  std::vector<std::uint8_t> bytes(v.size() * 8);
  std::memcpy(bytes.data(), v.data(), bytes.size());
  const auto encoded = encode_chunk(bytes, 8);
  CHECK(encoded.size() < bytes.size());
  CHECK(decode_chunk(encoded, 8, bytes.size()) == bytes);
}
