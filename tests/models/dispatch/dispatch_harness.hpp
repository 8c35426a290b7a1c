#pragma once
// Shared set-up of the dispatch tests: consumer views built by hand (no real consumer behind
// them), and one call of a policy's decide() on them.
#include <cstddef>
#include <limits>
#include <memory>
#include <vector>

#include "models/dispatch/load_first.hpp"
#include "models/dispatch/marginal_value.hpp"
#include "models/dispatch/price_threshold.hpp"
#include "models/dispatch/static_split.hpp"
#include "sim/facility/dispatch_policy.hpp"

namespace dispatch_test {

namespace sim = hybridsim::sim;
namespace dsp = hybridsim::models::dispatch;

inline constexpr double kNoLimit = std::numeric_limits<double>::infinity();

/// A consumer as a policy sees it; `power_mw` is what it draws now (policies ignore it).
inline sim::ConsumerView view(sim::LoadKind kind, std::size_t hall, double min_mw, double max_mw, double nameplate_mw,
                              double value_usd_per_mwh, bool curtailable = true) {
  sim::ConsumerView v;
  v.consumer = nullptr;
  v.hall = hall;
  v.kind = kind;
  v.power_mw = max_mw;
  v.min_mw = min_mw;
  v.max_mw = max_mw;
  v.nameplate_mw = nameplate_mw;
  v.value_usd_per_mwh = value_usd_per_mwh;
  v.curtailable = curtailable;
  return v;
}

inline sim::ConsumerView asic(std::size_t hall, double min_mw, double max_mw, double value, bool curtailable = true) {
  return view(sim::LoadKind::kAsic, hall, min_mw, max_mw, max_mw, value, curtailable);
}

inline sim::ConsumerView gpu(std::size_t hall, double max_mw, double nameplate_mw, double value, bool curtailable = true) {
  return view(sim::LoadKind::kGpu, hall, 0.0, max_mw, nameplate_mw, value, curtailable);
}

/// decide() at `price` (marginal = effective) under `cap_mw` and the given hall limits.
inline std::vector<double> decide(sim::DispatchPolicy& policy, const std::vector<sim::ConsumerView>& consumers,
                                  double cap_mw, double price, const std::vector<double>& hall_limits) {
  sim::DispatchInput in;
  in.now_s = 0;
  in.cap_mw = cap_mw;
  in.price_usd_per_mwh = price;
  in.effective_price_usd_per_mwh = price;
  in.consumers = consumers;
  in.hall_limit_mw = hall_limits;
  // A sentinel, so a consumer the policy forgot to set shows up.
  std::vector<double> limits(consumers.size(), -12345.0);
  policy.decide(in, limits);
  return limits;
}

/// The five policies of the catalogue, as the tests name them (price_threshold twice: with a
/// fixed threshold of 40 USD/MWh and following hashprice with k = 1).
enum class Policy { kStatic, kAiFirst, kMiningFirst, kMarginalValue, kThresholdFixed40, kThresholdK1 };

inline std::unique_ptr<sim::DispatchPolicy> make(Policy p) {
  switch (p) {
    case Policy::kStatic: return std::make_unique<dsp::StaticSplit>();
    case Policy::kAiFirst: return std::make_unique<dsp::LoadFirst>(sim::LoadKind::kGpu);
    case Policy::kMiningFirst: return std::make_unique<dsp::LoadFirst>(sim::LoadKind::kAsic);
    case Policy::kMarginalValue: return std::make_unique<dsp::MarginalValue>();
    case Policy::kThresholdFixed40: return std::make_unique<dsp::PriceThreshold>(40.0, std::nullopt);
    case Policy::kThresholdK1: return std::make_unique<dsp::PriceThreshold>(std::nullopt, 1.0);
  }
  return nullptr;
}

inline const char* name(Policy p) {
  switch (p) {
    case Policy::kStatic: return "static";
    case Policy::kAiFirst: return "ai_first";
    case Policy::kMiningFirst: return "mining_first";
    case Policy::kMarginalValue: return "marginal_value";
    case Policy::kThresholdFixed40: return "price_threshold (40 USD/MWh)";
    case Policy::kThresholdK1: return "price_threshold (k = 1)";
  }
  return "?";
}

}  // namespace dispatch_test
