#include "sim/core/ledger.hpp"

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
  f.non_finite_lump = &non_finite_lump_;
  f.account = name;
  f.cash_sign = static_cast<int>(sign);
  f.kind = kind;
  accounts_.push_back(&f);
  return f;
}

double Ledger::net_cash_usd() const {
  double usd = 0.0;
  for (const Flow* a : accounts_) usd += a->cash_sign * a->total;
  return usd;
}

double Ledger::net_cash_rate_usd_per_s() const {
  double usd = 0.0;
  for (const Flow* a : accounts_) usd += a->cash_sign * a->rate_per_s;
  return usd;
}

}  // namespace hybridsim::sim
