#pragma once
/// Exact accrual of amounts (energy, cost, revenue) whose rates are constant between events,
/// and the typed ledger of the facility's cash.
///
/// A Flow holds a rate per second and the running total. The simulation integrates the
/// flows (total += rate × Δt) over every interval in which the rates are constant, so totals
/// are exact integrals of piecewise-constant rates — no time step involved. Steps of the
/// clock at which no rate changed (most blocks) are not integrated one by one: their
/// durations add up (defer) and are integrated at once when a rate is about to change or a
/// total is read (settle; Flow::value() settles first), which gives the same integral. (It
/// skips flows that never had a rate, which changes no total: integrate_live().)
///
/// Cash moves only through accounts: flows in USD with a name and a direction (docs/models/
/// finance.md). Every account's total is kept positive in its own direction — revenue,
/// loan draws and BTC sold are inflows (cash sign +1); costs, capital spending, interest,
/// repayments and BTC kept are outflows (cash sign −1) — and cash is derived, never kept
/// separately:
///
///   cash(t) = initial cash + Σ_accounts sign_a · total_a(t)
///
/// so the file's flows that carry an `account` attribute sum to the final cash by
/// construction. Non-cash flows (energy in MWh, depreciation, BTC mined) are plain flows.
#include <cmath>
#include <deque>
#include <string>
#include <vector>

#include "sim/core/time.hpp"

namespace hybridsim::sim {

/// Direction of an account's amounts in cash: +1 inflow, −1 outflow.
enum class CashSign : int { kIn = 1, kOut = -1 };

/// What an account is, for the summary: revenue and operating costs make EBITDA; capital
/// (purchases out, resale in), financing (draws in, interest and repayments out) and the
/// BTC treasury (kept out, sold in) do not.
enum class AccountKind : int { kRevenue, kOperatingCost, kCapital, kFinancing, kTreasury };

/// "revenue", "operating_cost", "capital", "financing", "treasury".
const char* kind_name(AccountKind kind);

class Ledger;

struct Flow {
  double rate_per_s = 0.0;  ///< units of the total per second
  /// The total now: the integral of the rate since the start, plus lumps. Reading it brings
  /// the ledger's integration up to the current instant first (Ledger::settle).
  double value() const;
  /// Adds a lump (a block reward, a one-off payment) at the current instant.
  void add(double amount) {
    total_ += amount;
    if (ledger_ && !std::isfinite(total_)) raise_non_finite_lump();
  }
  /// The ledger account this flow is (empty: not a cash flow).
  std::string account;
  /// +1 or −1 for an account, 0 otherwise.
  int cash_sign = 0;
  AccountKind kind = AccountKind::kRevenue;  ///< accounts only

 private:
  friend class Ledger;
  void raise_non_finite_lump();
  double total_ = 0.0;  // integral of the rate up to the ledger's last settle, plus lumps
  // The ledger that made the flow (null for a flow made on its own, as tests do): settles
  // its integration before a read, and is told when a lump leaves the total non-finite
  // (integrate_live() skips flows at rate 0, so it does not see their totals).
  Ledger* ledger_ = nullptr;
};

class Ledger {
 public:
  Ledger() = default;
  // Its flows point back at it (non_finite_lump): it stays where it was made.
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  /// A new non-cash flow; the reference stays valid for the ledger's lifetime.
  Flow& flow() {
    Flow& f = flows_.emplace_back();
    f.ledger_ = this;
    pinned_.push_back(0);
    return f;
  }
  /// A new cash account named `name` (unique: std::logic_error otherwise), USD, whose
  /// amounts count with `sign` in cash.
  Flow& account(const std::string& name, AccountKind kind, CashSign sign);
  /// The first flow whose rate or total is NaN or infinite; nullptr when all are finite.
  const Flow* first_non_finite() const {
    for (const Flow& f : flows_)
      if (!std::isfinite(f.rate_per_s) || !std::isfinite(f.total_)) return &f;
    return nullptr;
  }
  /// Integrates every rate over `dt_s` seconds; returns false when a rate or a total is
  /// NaN or infinite (first_non_finite() then says which).
  ///
  /// The finiteness check rides along in the same pass instead of a second walk over the
  /// flows: x·0 is 0 for every finite x
  /// and NaN for ±infinity and NaN, so the sum of those products stays 0 exactly while
  /// every total is finite (the build does not use -ffast-math, which would fold it away).
  /// Totals suffice when `dt_s` > 0 (the kernel's steps): a non-finite rate makes its total
  /// non-finite. A step of 0 s checks the rates too.
  bool integrate(SimTime dt_s) {
    const double dt = static_cast<double>(dt_s);
    double poison = 0.0;
    for (Flow& f : flows_) {
      f.total_ += f.rate_per_s * dt;
      poison += f.total_ * 0.0;
    }
    return poison == 0.0 && (dt_s > 0 || !first_non_finite());
  }
  /// The kernel's form of integrate(), for the many steps at which few rates are not 0.
  ///
  /// A flow at rate 0 gains exactly nothing over a step (total + 0 = total: totals start at
  /// +0 and a sum is −0 only when both terms are), so skipping it leaves every total
  /// bit-for-bit what integrate() gives. integrate_live() integrates the pinned flows and
  /// those whose rate was not 0 at some collect_live() so far (a flow whose rate returns to
  /// 0 stays: integrating it changes nothing, and a collection then looks only at the flows
  /// never live); the caller calls collect_live() after anything but a pinned flow may have
  /// had its rate set (parts set rates only in update_rates). Returns false when a rate or total is not finite, as integrate() does:
  /// a non-finite rate is never 0, and a lump that leaves a total non-finite is flagged.
  /// About 15 of the 30 flows of a hybrid site have a rate. The kernel reaches it through
  /// settle(), once per run of steps with unchanged rates.
  void pin(Flow& f);
  void collect_live();
  bool integrate_live(SimTime dt_s) const {
    const double dt = static_cast<double>(dt_s);
    double poison = 0.0;  // as in integrate()
    for (Flow* f : live_) {
      f->total_ += f->rate_per_s * dt;
      poison += f->total_ * 0.0;
    }
    return poison == 0.0 && !non_finite_lump_ && (dt_s > 0 || !first_non_finite());
  }
  /// A step of `dt_s` seconds over which the rates are those of the last one: integrated
  /// with the steps before it at the next settle().
  void defer(SimTime dt_s) { pending_s_ += dt_s; }
  /// Integrates the deferred steps (integrate_live over their total duration); returns
  /// false when a rate or a total is not finite. Call before any rate changes (the kernel
  /// does, before parts update their rates); reads through Flow::value() call it.
  bool settle() const {
    if (pending_s_ == 0) return !non_finite_lump_;
    const SimTime dt_s = pending_s_;
    pending_s_ = 0;
    return integrate_live(dt_s);
  }
  /// Σ sign_a · total_a over the accounts, USD: cash less the initial cash.
  double net_cash_usd() const;
  /// Σ sign_a · rate_a, USD/s: the rate at which cash moves now.
  double net_cash_rate_usd_per_s() const;
  /// The accounts, in creation order.
  const std::vector<const Flow*>& accounts() const { return accounts_; }

 private:
  friend struct Flow;
  std::deque<Flow> flows_;  // deque: stable addresses
  std::vector<const Flow*> accounts_;
  std::vector<char> pinned_;  // per flow, in order: integrated at every step by integrate_live()
  std::vector<Flow*> live_;   // the pinned flows and those ever at a rate other than 0
  std::vector<Flow*> idle_;   // the others, among the first `sorted_` flows
  std::size_t sorted_ = 0;    // flows sorted into live_ or idle_ so far
  mutable SimTime pending_s_ = 0;  // deferred steps not yet integrated
  bool non_finite_lump_ = false;
};

inline double Flow::value() const {
  if (ledger_) (void)ledger_->settle();  // a non-finite total is reported by the kernel's own settle
  return total_;
}

}  // namespace hybridsim::sim
