#pragma once
/// LoanBook: the facility's loans as a facility part. Each loan is drawn at its date (an
/// inflow on the account `loan_draw`) and paid back by its amortisation table (loan.hpp):
/// each payment's interest on `loan_interest` and its principal on `loan_repayment` (both
/// outflows), as lumps at the payment dates. Payments due after the horizon are not made in
/// the run; the balance still owed is the stock `loan_balance_usd`.
#include <vector>

#include "sim/facility/facility_part.hpp"
#include "sim/finance/loan.hpp"

namespace hybridsim::sim::finance {

class LoanBook final : public FacilityPart {
 public:
  explicit LoanBook(std::vector<LoanSpec> loans) : loans_(std::move(loans)) {}
  void start(RunContext& ctx) override;
  std::optional<std::uint64_t> rates_version() const override { return 0; }  // lumps only
  void summarize(std::vector<SummaryItem>& out) const override;
  /// Every payment after the horizon of a loan drawn by then, −(interest + principal) at its date.
  void contracted_after(SimTime horizon_s, ContractedAfterHorizon& out) const override;

  /// Outstanding principal now, USD (Σ over drawn loans).
  double balance_usd() const { return balance_usd_; }

 private:
  std::vector<LoanSpec> loans_;
  double balance_usd_ = 0.0;
  Flow* draws_ = nullptr;
  Flow* interest_ = nullptr;
  Flow* repayments_ = nullptr;
};

}  // namespace hybridsim::sim::finance
