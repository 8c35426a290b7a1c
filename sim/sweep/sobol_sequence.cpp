#include "sim/sweep/sobol_sequence.hpp"

#include <bit>
#include <stdexcept>
#include <string>

namespace hybridsim::sweep {
namespace {

/// One row of Joe & Kuo's table: degree s of the primitive polynomial, its coefficients a
/// (bits of the middle terms) and the initial direction numbers m_1..m_s.
struct JoeKuoRow {
  int s;
  std::uint32_t a;
  std::uint32_t m[8];
};

// new-joe-kuo-6.21201, dimensions 2..32.
constexpr JoeKuoRow kJoeKuo[] = {
    {1, 0, {1}},
    {2, 1, {1, 3}},
    {3, 1, {1, 3, 1}},
    {3, 2, {1, 1, 1}},
    {4, 1, {1, 1, 3, 3}},
    {4, 4, {1, 3, 5, 13}},
    {5, 2, {1, 1, 5, 5, 17}},
    {5, 4, {1, 1, 5, 5, 5}},
    {5, 7, {1, 1, 7, 11, 19}},
    {5, 11, {1, 1, 5, 1, 1}},
    {5, 13, {1, 1, 1, 3, 11}},
    {5, 14, {1, 3, 5, 5, 31}},
    {6, 1, {1, 3, 3, 9, 7, 49}},
    {6, 13, {1, 1, 1, 15, 21, 21}},
    {6, 16, {1, 3, 1, 13, 27, 49}},
    {6, 19, {1, 1, 1, 15, 7, 5}},
    {6, 22, {1, 3, 1, 15, 13, 25}},
    {6, 25, {1, 1, 5, 5, 19, 61}},
    {7, 1, {1, 3, 7, 11, 23, 15, 103}},
    {7, 4, {1, 3, 7, 13, 13, 15, 69}},
    {7, 7, {1, 1, 3, 13, 7, 35, 63}},
    {7, 8, {1, 3, 5, 9, 1, 25, 53}},
    {7, 14, {1, 3, 1, 13, 9, 35, 107}},
    {7, 19, {1, 3, 1, 5, 27, 61, 31}},
    {7, 21, {1, 1, 5, 11, 19, 41, 61}},
    {7, 28, {1, 3, 5, 3, 3, 13, 69}},
    {7, 31, {1, 1, 7, 13, 1, 19, 1}},
    {7, 32, {1, 3, 7, 5, 13, 19, 59}},
    {7, 37, {1, 1, 3, 9, 25, 29, 41}},
    {7, 41, {1, 3, 5, 13, 23, 1, 55}},
    {7, 42, {1, 3, 7, 3, 13, 59, 17}},
};
static_assert(std::size(kJoeKuo) + 1 == SobolSequence::kMaxDimensions);

}  // namespace

SobolSequence::SobolSequence(int dimensions) : dimensions_(dimensions) {
  if (dimensions < 1 || dimensions > kMaxDimensions)
    throw std::invalid_argument("Sobol' sequence: 1 to " + std::to_string(kMaxDimensions) + " dimensions, got " +
                                std::to_string(dimensions));
  direction_.assign(static_cast<std::size_t>(dimensions), std::vector<std::uint64_t>(kBits));
  // v_k = m_k / 2^k, held as integers scaled by 2^kBits.
  for (int k = 0; k < kBits; ++k) direction_[0][k] = std::uint64_t{1} << (kBits - 1 - k);
  for (int d = 1; d < dimensions; ++d) {
    const JoeKuoRow& row = kJoeKuo[d - 1];
    auto& v = direction_[d];
    for (int k = 0; k < row.s && k < kBits; ++k) v[k] = std::uint64_t{row.m[k]} << (kBits - 1 - k);
    for (int k = row.s; k < kBits; ++k) {
      std::uint64_t x = v[k - row.s] ^ (v[k - row.s] >> row.s);
      for (int j = 1; j < row.s; ++j)
        if ((row.a >> (row.s - 1 - j)) & 1U) x ^= v[k - j];
      v[k] = x;
    }
  }
  state_.assign(static_cast<std::size_t>(dimensions), 0);
}

Eigen::RowVectorXd SobolSequence::next() {
  Eigen::RowVectorXd point(dimensions_);
  for (int d = 0; d < dimensions_; ++d) point[d] = static_cast<double>(state_[d]) * 0x1.0p-52;
  // Gray code: the next point flips the direction number of the lowest zero bit of the index.
  const int c = std::countr_one(index_);
  if (c >= kBits) throw std::out_of_range("Sobol' sequence exhausted");
  for (int d = 0; d < dimensions_; ++d) state_[d] ^= direction_[d][c];
  ++index_;
  return point;
}

Eigen::MatrixXd SobolSequence::points(std::int64_t count, std::int64_t skip) {
  for (std::int64_t i = 0; i < skip; ++i) next();
  Eigen::MatrixXd out(count, dimensions_);
  for (std::int64_t i = 0; i < count; ++i) out.row(i) = next();
  return out;
}

}  // namespace hybridsim::sweep
