#include "models/ai/ai_catalogue.hpp"

namespace hybridsim::models::ai {

void register_ai_models(AiCatalogue& /*catalogue*/) {}

}  // namespace hybridsim::models::ai
