#include <cmath>
#include <filesystem>
#include <memory>

#include "models/ai/ai_catalogue.hpp"
#include "models/ai/contracts.hpp"
#include "models/ai/gpu_prices.hpp"
#include "models/ai/poisson_jobs.hpp"
#include "models/ai/schedulers.hpp"
#include "models/ai/trace_jobs.hpp"

namespace hybridsim::models::ai {

using sim::config::ParamSpec;
using sim::config::Params;

namespace {

/// Keys every contract accepts: its name and its life.
std::vector<ParamSpec> with_terms(std::vector<ParamSpec> specs) {
  specs.push_back(ParamSpec::string("name", "the contract's name: jobs and tenant clusters refer to it"));
  specs.push_back(ParamSpec::date("start", "when it begins (default: the scenario's start; earlier dates mean it is already running)").optional());
  specs.push_back(ParamSpec::string("starts_with", "name of a facility conversion: the contract begins when it completes (instead of start)").optional());
  specs.push_back(ParamSpec::number("term_years", "year", "length of a term, Julian years (default: open-ended)").above(0).optional());
  specs.push_back(ParamSpec::number("renewal_probability", "", "probability of renewal for another term at each term's end").defaults(0.0).at_least(0).at_most(1));
  specs.push_back(ParamSpec::number("default_hazard_per_year", "1/year", "counterparty default rate: time to default ~ Exp(hazard)").defaults(0.0).at_least(0));
  specs.push_back(ParamSpec::integer("priority", "", "scheduling priority of its jobs (higher first; scheduler 'priority')").defaults(0.0).at_least(-1e6).at_most(1e6));
  return specs;
}

/// Keys every job source accepts: checkpointing and restart.
std::vector<ParamSpec> with_checkpoints(std::vector<ParamSpec> specs) {
  specs.push_back(ParamSpec::boolean("checkpoint", "whether jobs checkpoint (false: a preemption loses all their work)").defaults("true"));
  specs.push_back(ParamSpec::duration("checkpoint_every", "work between two checkpoints").defaults("1h"));
  specs.push_back(ParamSpec::number("restart_delay_minutes", "min", "paid on every restart after a preemption (GPUs held, no progress)").defaults(10.0).at_least(0));
  return specs;
}

sim::SimTime checkpoint_s(const Params& p) { return p.boolean("checkpoint") ? p.duration_s("checkpoint_every") : 0; }
sim::SimTime restart_delay_s(const Params& p) { return std::llround(p.number("restart_delay_minutes") * 60.0); }

std::unique_ptr<JobArrivalModel> make_poisson(const Params& p) {
  PoissonJobs::Options o;
  o.rate_per_day = p.number("rate_per_day");
  o.gpu_choices.clear();
  for (double g : p.numbers("gpus.choices")) {
    if (g != std::floor(g) || g > 1e9) p.fail("gpus.choices", "expected whole numbers of GPUs, got " + std::to_string(g));
    o.gpu_choices.push_back(static_cast<int>(g));
  }
  if (p.has("gpus.weights")) {
    o.gpu_weights = p.numbers("gpus.weights");
    if (o.gpu_weights.size() != o.gpu_choices.size())
      p.fail("gpus.weights", "expected one weight per choice (" + std::to_string(o.gpu_choices.size()) + ")");
    double sum = 0;
    for (double w : o.gpu_weights) sum += w;
    if (!(sum > 0)) p.fail("gpus.weights", "expected at least one positive weight");
  }
  const int laws = p.has("hours.exponential") + p.has("hours.lognormal") + p.has("hours.fixed");
  if (laws != 1) p.fail("hours", "expected exactly one of exponential: MEAN, lognormal: [MU, SIGMA], fixed: HOURS");
  if (p.has("hours.exponential")) {
    o.duration = {DurationLaw::Kind::kExponential, p.number("hours.exponential"), 0.0};
  } else if (p.has("hours.fixed")) {
    o.duration = {DurationLaw::Kind::kFixed, p.number("hours.fixed"), 0.0};
  } else {
    const auto& ln = p.numbers("hours.lognormal");
    if (ln.size() != 2 || !(ln[1] >= 0)) p.fail("hours.lognormal", "expected [mu, sigma] of ln(hours), sigma >= 0");
    o.duration = {DurationLaw::Kind::kLognormal, ln[0], ln[1]};
  }
  o.contract = p.has("contract") ? p.string("contract") : "";
  o.checkpoint_s = checkpoint_s(p);
  o.restart_delay_s = restart_delay_s(p);
  return std::make_unique<PoissonJobs>(std::move(o));
}

std::unique_ptr<JobArrivalModel> make_trace(const Params& p) {
  std::filesystem::path file = p.string("file");
  if (file.is_relative() && !p.context().scenario_dir.empty()) file = std::filesystem::path(p.context().scenario_dir) / file;
  auto trace = std::make_shared<const JobTrace>(
      read_job_trace(file.string(), p.context().epoch_unix_s, checkpoint_s(p), restart_delay_s(p)));
  return std::make_unique<TraceJobs>(std::move(trace));
}

}  // namespace

void register_ai_models(AiCatalogue& c) {
  c.jobs.add({"poisson",
              "Poisson arrivals at rate_per_day; GPUs from gpus.choices (gpus.weights); hours from one of "
              "hours.exponential (mean), hours.lognormal ([mu, sigma] of ln h), hours.fixed",
              with_checkpoints({
ParamSpec::string("name", "the stream's name: its random streams are jobs.<name>.arrivals, .gpus, .hours, .demand (default: its contract, else the model's name)").optional(),
                  ParamSpec::number("rate_per_day", "1/day", "mean jobs submitted per day").above(0),
                  ParamSpec::numbers("gpus.choices", "GPU", "GPU counts a job may ask for").at_least(1),
                  ParamSpec::numbers("gpus.weights", "", "relative weights of the choices (default: equal)").at_least(0).optional(),
                  ParamSpec::number("hours.exponential", "h", "mean of exponentially distributed durations").above(0).optional(),
                  ParamSpec::numbers("hours.lognormal", "", "[mu, sigma] of ln(duration in hours)").optional(),
                  ParamSpec::number("hours.fixed", "h", "every job lasts this long").above(0).optional(),
                  ParamSpec::string("contract", "contract its jobs are billed to (default: none)").optional(),
              })},
             make_poisson);
  c.jobs.add({"trace",
              "jobs replayed from a CSV: header with submit (UTC) or submit_hours, gpus, hours, optional contract",
              with_checkpoints({ParamSpec::string("name", "the stream's name: its random streams are jobs.<name>.arrivals, .gpus, .hours, .demand (default: its contract, else the model's name)").optional(),
                  ParamSpec::string("file", "CSV path, relative to the scenario's folder")})},
             make_trace);

  c.scheduler.add({"fifo", "first in, first out: the head job blocks the queue until it fits", {}},
                  [](const Params&) { return std::make_unique<FifoScheduler>(); });
  c.scheduler.add({"easy_backfill",
                   "FIFO with EASY backfill: later jobs start early if they cannot delay the head job's reservation",
                   {ParamSpec::integer("depth", "job", "queued jobs examined for backfill per pass").defaults(100.0).at_least(1)}},
                  [](const Params& p) { return std::make_unique<EasyBackfillScheduler>(static_cast<int>(p.integer("depth"))); });
  c.scheduler.add({"priority",
                   "queue ordered by contract priority (higher first), then submission; optional backfill and preemption",
                   {ParamSpec::boolean("backfill", "EASY backfill behind a blocked head job").defaults("true"),
                    ParamSpec::boolean("preempt", "preempt lower-priority jobs to start a blocked head job").defaults("false"),
                    ParamSpec::integer("depth", "job", "queued jobs examined for backfill per pass").defaults(100.0).at_least(1)}},
                  [](const Params& p) {
                    return std::make_unique<PriorityScheduler>(p.boolean("backfill"), p.boolean("preempt"),
                                                               static_cast<int>(p.integer("depth")));
                  });

  c.contracts.add({"colocation",
                   "lease of critical-IT capacity to a tenant's GPUs at USD/kW-month (30-day month), take-or-pay, "
                   "power passed through or included, SLA credits on shortfall",
                   with_terms({
                       ParamSpec::number("committed_mw", "MW", "critical-IT power committed to the tenant").above(0),
                       ParamSpec::number("usd_per_kw_month", "USD/kW/month", "rent per committed kW per 30-day month").at_least(0),
                       ParamSpec::boolean("take_or_pay", "rent on the commitment (false: on delivered IT power up to it)").defaults("true"),
                       ParamSpec::string("power", "energy: passed through to the tenant at the grid price, or included in the rent")
                           .defaults("pass_through").one_of({"pass_through", "included"}),
                       ParamSpec::number("sla_credit_multiple", "", "credit per shortfall MW, as a multiple of the rent per MW").defaults(1.0).at_least(0),
                   })},
                  [](const Params& p) {
                    return std::make_unique<ColocationLease>(p.number("committed_mw"), p.number("usd_per_kw_month"),
                                                             p.boolean("take_or_pay"), p.string("power") == "pass_through",
                                                             p.number("sla_credit_multiple"));
                  });
  c.contracts.add({"gpu_hour_rental",
                   "GPU-hours on owned GPUs: reserved GPUs paid at a fixed price, the customer's jobs beyond them at the spot price",
                   with_terms({
                       ParamSpec::integer("reserved_gpus", "GPU", "GPUs paid for whether used or not").defaults(0.0).at_least(0).at_most(1e8),
                       ParamSpec::number("reserved_usd_per_gpu_hour", "USD/h", "price of a reserved GPU-hour").defaults(0.0).at_least(0),
                   })},
                  [](const Params& p) {
                    return std::make_unique<GpuHourRental>(static_cast<int>(p.integer("reserved_gpus")),
                                                           p.number("reserved_usd_per_gpu_hour"));
                  });
  c.contracts.add({"training_deal",
                   "fixed-term deal: committed GPUs paid per GPU-hour (take-or-pay), ramping up in equal steps",
                   with_terms({
                       ParamSpec::integer("gpus", "GPU", "GPUs committed once ramped up").at_least(1).at_most(1e8),
                       ParamSpec::number("usd_per_gpu_hour", "USD/h", "price per committed GPU-hour").at_least(0),
                       ParamSpec::duration("ramp", "time to reach the full commitment (default: full from the start)").optional(),
                       ParamSpec::integer("ramp_steps", "", "equal steps of the ramp; the first comes after ramp/steps").defaults(1.0).at_least(1).at_most(1e6),
                   })},
                  [](const Params& p) {
                    return std::make_unique<TrainingDeal>(static_cast<int>(p.integer("gpus")), p.number("usd_per_gpu_hour"),
                                                          p.has("ramp") ? p.duration_s("ramp") : 0,
                                                          static_cast<int>(p.integer("ramp_steps")));
                  });

  c.gpu_price.add({"constant", "p(t) = usd_per_gpu_hour",
                   {ParamSpec::number("usd_per_gpu_hour", "USD/h", "spot price of a GPU-hour").at_least(0)}},
                  [](const Params& p) { return std::make_unique<ConstantGpuPrice>(p.number("usd_per_gpu_hour")); });
  c.gpu_price.add({"decaying",
                   "p' = max(floor, p·exp(-(decay + vol²/2)Δ + vol√Δ Z)·J), J = crash_factor at Poisson crash times",
                   {ParamSpec::number("initial_usd_per_gpu_hour", "USD/h", "price at the start").above(0),
                    ParamSpec::number("decay_per_year", "1/year", "exponential decay rate of the price").defaults(0.5),
                    ParamSpec::number("vol_per_year", "1/sqrt(year)", "volatility of log price").defaults(0.0).at_least(0),
                    ParamSpec::number("crash_rate_per_year", "1/year", "rate of price crashes").defaults(0.0).at_least(0),
                    ParamSpec::number("crash_factor", "", "price multiplier at a crash").defaults(0.7).above(0).at_most(1),
                    ParamSpec::number("floor_usd_per_gpu_hour", "USD/h", "the price never falls below this").defaults(0.0).at_least(0),
                    ParamSpec::duration("step", "time between price steps").defaults("1d")}},
                  [](const Params& p) {
                    DecayingGpuPrice::Options o;
                    o.initial_usd_per_gpu_hour = p.number("initial_usd_per_gpu_hour");
                    o.decay_per_year = p.number("decay_per_year");
                    o.vol_per_year = p.number("vol_per_year");
                    o.crash_rate_per_year = p.number("crash_rate_per_year");
                    o.crash_factor = p.number("crash_factor");
                    o.floor_usd_per_gpu_hour = p.number("floor_usd_per_gpu_hour");
                    o.step_s = p.duration_s("step");
                    return std::make_unique<DecayingGpuPrice>(o);
                  });
}

const AiCatalogue& ai_catalogue() {
  static const AiCatalogue instance = [] {
    AiCatalogue c;
    register_ai_models(c);
    return c;
  }();
  return instance;
}

}  // namespace hybridsim::models::ai
