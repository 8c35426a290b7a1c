#include "sim/sweep/chunk_codec.hpp"

#include <zlib.h>

#include <stdexcept>
#include <string>

namespace hybridsim::sweep {

std::vector<std::uint8_t> encode_chunk(std::span<const std::uint8_t> bytes, std::size_t element_size, int level) {
  const std::size_t n = bytes.size() / element_size;
  std::vector<std::uint8_t> shuffled(bytes.size());
  for (std::size_t b = 0; b < element_size; ++b)
    for (std::size_t i = 0; i < n; ++i) shuffled[b * n + i] = bytes[i * element_size + b];
  // Trailing bytes of a partial element stay in place, as HDF5's shuffle leaves them.
  for (std::size_t i = n * element_size; i < bytes.size(); ++i) shuffled[i] = bytes[i];
  uLongf size = compressBound(static_cast<uLong>(shuffled.size()));
  std::vector<std::uint8_t> out(size);
  const int rc = compress2(out.data(), &size, shuffled.data(), static_cast<uLong>(shuffled.size()), level);
  if (rc != Z_OK) throw std::runtime_error("zlib compress2 failed (" + std::to_string(rc) + ")");
  out.resize(size);
  return out;
}

std::vector<std::uint8_t> decode_chunk(std::span<const std::uint8_t> encoded, std::size_t element_size,
                                       std::size_t size) {
  std::vector<std::uint8_t> shuffled(size);
  uLongf got = static_cast<uLongf>(size);
  const int rc = uncompress(shuffled.data(), &got, encoded.data(), static_cast<uLong>(encoded.size()));
  if (rc != Z_OK || got != size) throw std::runtime_error("zlib uncompress failed");
  const std::size_t n = size / element_size;
  std::vector<std::uint8_t> out(size);
  for (std::size_t b = 0; b < element_size; ++b)
    for (std::size_t i = 0; i < n; ++i) out[i * element_size + b] = shuffled[b * n + i];
  for (std::size_t i = n * element_size; i < size; ++i) out[i] = shuffled[i];
  return out;
}

}  // namespace hybridsim::sweep
