#pragma once
/// An amortising loan: principal P drawn at t_d, nominal rate r per year paid m times a
/// year (period rate i = r / m), n = round(term · m) equal payments, the first one period
/// after the draw:
///
///   A = P · i / (1 − (1 + i)^−n)        (A = P / n when i = 0)
///   interest_k  = i · B_{k−1},  principal_k = A − interest_k,  B_k = B_{k−1} − principal_k
///
/// with B_0 = P; the last payment repays B_{n−1} exactly (B_n = 0). The standard annuity
/// formula (e.g. Brealey, Myers & Allen, Principles of Corporate Finance, ch. 2).
#include <string>
#include <vector>

#include "sim/core/time.hpp"

namespace hybridsim::sim::finance {

struct LoanSpec {
  std::string name;
  double principal_usd = 0.0;
  double rate_per_year = 0.0;   ///< nominal, ≥ 0
  double term_years = 0.0;      ///< > 0
  int payments_per_year = 12;
  SimTime drawn_s = 0;          ///< seconds since the epoch
};

/// One payment of the amortisation table.
struct LoanPayment {
  SimTime t_s = 0;
  double interest_usd = 0.0;
  double principal_usd = 0.0;
  double balance_usd = 0.0;  ///< outstanding after the payment
};

/// The level payment A, USD.
double loan_payment_usd(const LoanSpec& loan);
/// The whole amortisation table (every payment, also those after any horizon).
std::vector<LoanPayment> amortisation_table(const LoanSpec& loan);

}  // namespace hybridsim::sim::finance
