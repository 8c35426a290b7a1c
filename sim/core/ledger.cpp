#include "sim/core/ledger.hpp"

#include <algorithm>
#include <stdexcept>

namespace hybridsim::sim {

const char* kind_name(AccountKind kind) {
  switch (kind) {
    case AccountKind::kRevenue: return "revenue";
    case AccountKind::kOperatingCost: return "operating_cost";
    case AccountKind::kCapital: return "capital";
    case AccountKind::kFinancing: return "financing";
    case AccountKind::kTreasury: return "treasury";
  }
  return "?";
}

Flow& Ledger::account(const std::string& name, AccountKind kind, CashSign sign) {
  for (const Flow* a : accounts_)
    if (a->account == name) throw std::logic_error("ledger account '" + name + "' is opened twice");
  Flow& f = flows_.emplace_back();
  f.ledger_ = this;
  pinned_.push_back(0);
  f.account = name;
  f.cash_sign = static_cast<int>(sign);
  f.kind = kind;
  accounts_.push_back(&f);
  return f;
}

void Ledger::pin(Flow& f) {
  for (std::size_t i = 0; i < flows_.size(); ++i)
    if (&flows_[i] == &f) {
      pinned_[i] = 1;
      const auto idle = std::find(idle_.begin(), idle_.end(), &f);  // sorted already: make it live
      if (idle != idle_.end()) {
        live_.push_back(&f);
        idle_.erase(idle);
      }
      return;
    }
  throw std::logic_error("Ledger::pin: the flow is not this ledger's");
}

void Ledger::collect_live() {
  // Runs after every step at which a part set its rates (a price step, a job's start or
  // end), so it looks only at the flows not yet live, and at flows made since the last call.
  for (std::size_t k = 0; k < idle_.size();) {
    if (idle_[k]->rate_per_s != 0.0) {  // NaN too
      live_.push_back(idle_[k]);
      idle_[k] = idle_.back();
      idle_.pop_back();
    } else {
      ++k;
    }
  }
  for (; sorted_ < flows_.size(); ++sorted_) {
    Flow& f = flows_[sorted_];
    (pinned_[sorted_] || f.rate_per_s != 0.0 ? live_ : idle_).push_back(&f);
  }
}

void Flow::raise_non_finite_lump() { ledger_->non_finite_lump_ = true; }

double Ledger::net_cash_usd() const {
  double usd = 0.0;
  (void)settle();  // a non-finite total is reported by the kernel's own settle
  for (const Flow* a : accounts_) usd += a->cash_sign * a->total_;
  return usd;
}

double Ledger::net_cash_rate_usd_per_s() const {
  double usd = 0.0;
  for (const Flow* a : accounts_) usd += a->cash_sign * a->rate_per_s;
  return usd;
}

}  // namespace hybridsim::sim
