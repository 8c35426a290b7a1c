#pragma once
/// Encodes a chunk of numbers exactly as HDF5's shuffle + deflate filter pipeline would, so
/// that workers compress their member's chunks in parallel and the single writer stores the
/// bytes as they are (H5Dwrite_chunk) instead of compressing on its own thread.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace hybridsim::sweep {

/// The deflate level of sweep series (as `hybridsim run`'s: the fastest level).
inline constexpr int kDeflateLevel = 1;

/// Byte-shuffles `bytes` (elements of `element_size` bytes: all first bytes, then all second
/// bytes, ...; HDF5's H5Z_FILTER_SHUFFLE) and compresses the result with zlib at `level`
/// (H5Z_FILTER_DEFLATE). Throws std::runtime_error if zlib fails.
std::vector<std::uint8_t> encode_chunk(std::span<const std::uint8_t> bytes, std::size_t element_size,
                                       int level = kDeflateLevel);

/// The inverse, for tests: inflate then unshuffle. `size` is the raw size in bytes.
std::vector<std::uint8_t> decode_chunk(std::span<const std::uint8_t> encoded, std::size_t element_size,
                                       std::size_t size);

}  // namespace hybridsim::sweep
