#include "sim/finance/loan_book.hpp"

namespace hybridsim::sim::finance {

void LoanBook::start(RunContext& ctx) {
  draws_ = &ctx.ledger.account("loan_draw", AccountKind::kFinancing, CashSign::kIn);
  interest_ = &ctx.ledger.account("loan_interest", AccountKind::kFinancing, CashSign::kOut);
  repayments_ = &ctx.ledger.account("loan_repayment", AccountKind::kFinancing, CashSign::kOut);
  const SimTime horizon = ctx.build.horizon_s;
  for (const LoanSpec& loan : loans_) {
    if (loan.drawn_s > horizon) continue;
    // A loan drawn before the epoch is drawn at it (its schedule keeps its own dates).
    ctx.engine.at(std::max<SimTime>(0, loan.drawn_s), [this, p = loan.principal_usd] {
      draws_->add(p);
      balance_usd_ += p;
    }, priority::kFacility);
    for (const LoanPayment& pay : amortisation_table(loan)) {
      if (pay.t_s > horizon) break;
      ctx.engine.at(std::max<SimTime>(0, pay.t_s), [this, pay] {
        interest_->add(pay.interest_usd);
        repayments_->add(pay.principal_usd);
        balance_usd_ -= pay.principal_usd;
      }, priority::kFacility);
    }
  }
  auto& rec = ctx.recorder;
  rec.flow({"loan_draw_usd", "USD", "loans drawn"}, *draws_);
  rec.flow({"loan_interest_usd", "USD", "interest paid on loans"}, *interest_);
  rec.flow({"loan_repayment_usd", "USD", "loan principal repaid"}, *repayments_);
  rec.stock({"loan_balance_usd", "USD", "loan principal outstanding (not a cash flow)"}, [this] { return balance_usd_; });
}

void LoanBook::contracted_after(SimTime horizon_s, ContractedAfterHorizon& out) const {
  for (const LoanSpec& loan : loans_) {
    if (loan.drawn_s > horizon_s) continue;
    for (const LoanPayment& pay : amortisation_table(loan))
      if (pay.t_s > horizon_s) out.lumps.emplace_back(pay.t_s, -(pay.interest_usd + pay.principal_usd));
  }
}

void LoanBook::summarize(std::vector<SummaryItem>& out) const {
  // The interest paid is the account's total (summary_loan_interest_usd, with every account's).
  out.push_back({"loan_balance_usd", balance_usd_, "USD", "loan principal outstanding at the horizon"});
}

}  // namespace hybridsim::sim::finance
