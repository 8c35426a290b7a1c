#include <memory>

#include "models/dispatch/dispatch_catalogue.hpp"
#include "models/dispatch/load_first.hpp"
#include "models/dispatch/marginal_value.hpp"
#include "models/dispatch/price_threshold.hpp"
#include "models/dispatch/static_split.hpp"

namespace hybridsim::models::dispatch {

using sim::config::ParamSpec;

namespace {

/// Every policy is re-run at least this often (and at every price, cap or demand change).
ParamSpec decision_step() {
  return ParamSpec::duration("decision_step", "longest time between two dispatch decisions").defaults("1h");
}

}  // namespace

void register_dispatch_policies(DispatchCatalogue& c) {
  c.dispatch.add({"static",
                  "GPU clusters reserve their nameplate MW; ASIC cohorts share the rest, most efficient first, "
                  "each running while it earns its power",
                  {decision_step()}},
                 [](const sim::config::Params&) { return std::make_unique<StaticSplit>(); });
  c.dispatch.add({"ai_first", "GPU demand first, ASICs take the rest; loads worth less than the price are curtailed",
                  {decision_step()}},
                 [](const sim::config::Params&) { return std::make_unique<LoadFirst>(sim::LoadKind::kGpu); });
  c.dispatch.add({"mining_first", "ASIC demand first, GPUs take the rest; loads worth less than the price are curtailed",
                  {decision_step()}},
                 [](const sim::config::Params&) { return std::make_unique<LoadFirst>(sim::LoadKind::kAsic); });
  c.dispatch.add({"marginal_value",
                  "MW go to the loads worth most per MWh; any load worth less than the power price is curtailed",
                  {decision_step()}},
                 [](const sim::config::Params&) { return std::make_unique<MarginalValue>(); });
  c.dispatch.add(
      {"price_threshold",
       "GPUs first; ASICs curtailed while the power price is above a threshold (fixed, or k × their break-even)",
       {decision_step(),
        ParamSpec::number("threshold_usd_per_mwh", "USD/MWh", "curtail mining above this price").optional(),
        ParamSpec::number("hashprice_multiple", "", "curtail mining above k × its break-even price (follows hashprice)")
            .above(0)
            .optional()}},
      [](const sim::config::Params& p) {
        if (p.has("threshold_usd_per_mwh") == p.has("hashprice_multiple"))
          p.fail("threshold_usd_per_mwh",
                 "give exactly one of threshold_usd_per_mwh (a price) and hashprice_multiple (k, following hashprice)");
        std::optional<double> fixed, multiple;
        if (p.has("threshold_usd_per_mwh")) fixed = p.number("threshold_usd_per_mwh");
        if (p.has("hashprice_multiple")) multiple = p.number("hashprice_multiple");
        return std::make_unique<PriceThreshold>(fixed, multiple);
      });
}

}  // namespace hybridsim::models::dispatch
