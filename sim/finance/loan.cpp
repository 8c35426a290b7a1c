#include "sim/finance/loan.hpp"

#include <cmath>

namespace hybridsim::sim::finance {

namespace {
int payments(const LoanSpec& loan) {
  return std::max(1, static_cast<int>(std::lround(loan.term_years * loan.payments_per_year)));
}
}  // namespace

double loan_payment_usd(const LoanSpec& loan) {
  const int n = payments(loan);
  const double i = loan.rate_per_year / loan.payments_per_year;
  if (i == 0.0) return loan.principal_usd / n;
  return loan.principal_usd * i / (1.0 - std::pow(1.0 + i, -n));
}

std::vector<LoanPayment> amortisation_table(const LoanSpec& loan) {
  const int n = payments(loan);
  const double i = loan.rate_per_year / loan.payments_per_year;
  const double a = loan_payment_usd(loan);
  const double period_s = static_cast<double>(kSecondsPerYear) / loan.payments_per_year;
  std::vector<LoanPayment> out;
  double balance = loan.principal_usd;
  for (int k = 1; k <= n; ++k) {
    LoanPayment p;
    p.t_s = loan.drawn_s + static_cast<SimTime>(std::llround(k * period_s));
    p.interest_usd = i * balance;
    p.principal_usd = k == n ? balance : a - p.interest_usd;
    balance -= p.principal_usd;
    p.balance_usd = k == n ? 0.0 : balance;
    out.push_back(p);
  }
  return out;
}

}  // namespace hybridsim::sim::finance
