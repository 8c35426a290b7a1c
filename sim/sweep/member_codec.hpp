#pragma once
/// A finished member as bytes: how a member travels from an MPI rank to the writer, and how
/// the resume journal stores it. Every field of MemberResult is written, in a fixed order,
/// little-endian as the machine is (ranks of one job share the architecture).
#include <cstdint>
#include <span>
#include <vector>

#include "sim/sweep/member_result.hpp"

namespace hybridsim::sweep {

std::vector<std::uint8_t> serialize_member(const MemberResult& r);
/// The inverse; throws std::runtime_error on bytes that are not a whole member.
MemberResult deserialize_member(std::span<const std::uint8_t> bytes);

}  // namespace hybridsim::sweep
