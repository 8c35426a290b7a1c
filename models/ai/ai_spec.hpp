#pragma once
/// AiSpec: the validated, plain description of a scenario's AI section.
namespace hybridsim::models::ai {

struct AiSpec {};

}  // namespace hybridsim::models::ai
