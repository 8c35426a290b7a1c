#pragma once
/// The shipped GPU-hour price models: constant, and decaying with noise and crashes.
#include <algorithm>
#include <cmath>

#include "models/ai/gpu_price_model.hpp"
#include "sim/core/portable_random.hpp"

namespace hybridsim::models::ai {

/// p(t) = price for the whole run.
class ConstantGpuPrice final : public GpuPriceModel {
 public:
  explicit ConstantGpuPrice(double usd_per_gpu_hour) : price_(usd_per_gpu_hour) {}
  double initial_usd_per_gpu_hour() const override { return price_; }
  sim::SimTime step_s() const override { return 0; }
  double next_usd_per_gpu_hour(double p, sim::SimTime, sim::SimTime, sim::Rng&) override { return p; }

 private:
  double price_;
};

/// A price that decays as hardware ages and supply grows (H100 rental ≈ $8 in 2023 to ≈ $1.70
/// in Oct 2025, an H100 rental index [2nd]: about −50 %/year), with lognormal noise and crashes. Per step
/// of Δ years:
///
///   p' = max(floor, p · exp(−(δ + σ²/2)·Δ + σ·√Δ·Z) · J),   Z ~ N(0, 1)
///   J  = crash_factor with probability 1 − exp(−λ·Δ), else 1
///
/// With σ = 0 and λ = 0, p(t) = p0 · e^(−δ t) sampled at the steps. Draws per step: Z (only
/// if σ > 0), then one uniform (only if λ > 0).
class DecayingGpuPrice final : public GpuPriceModel {
 public:
  struct Options {
    double initial_usd_per_gpu_hour = 2.5;
    double decay_per_year = 0.25;
    double vol_per_year = 0.0;
    double crash_rate_per_year = 0.0;
    double crash_factor = 0.7;
    double floor_usd_per_gpu_hour = 0.0;
    sim::SimTime step_s = 86400;
  };
  explicit DecayingGpuPrice(Options o) : o_(o) {}
  double initial_usd_per_gpu_hour() const override { return o_.initial_usd_per_gpu_hour; }
  sim::SimTime step_s() const override { return o_.step_s; }
  double next_usd_per_gpu_hour(double p, sim::SimTime, sim::SimTime dt_s, sim::Rng& rng) override {
    const double years = static_cast<double>(dt_s) / static_cast<double>(sim::kSecondsPerYear);
    // Three engine outputs per step whatever the parameters (common random numbers).
    const double z = sim::standard_normal(rng);
    const double u = sim::uniform_open01(rng);
    double log_step = -o_.decay_per_year * years;
    if (o_.vol_per_year > 0)
      log_step += -0.5 * o_.vol_per_year * o_.vol_per_year * years + o_.vol_per_year * std::sqrt(years) * z;
    double next = p * std::exp(log_step);
    if (o_.crash_rate_per_year > 0 && u < 1.0 - std::exp(-o_.crash_rate_per_year * years)) next *= o_.crash_factor;
    return std::max(o_.floor_usd_per_gpu_hour, next);
  }

 private:
  Options o_;
};

}  // namespace hybridsim::models::ai
