#include "sim/sweep/sweep_writer.hpp"

#include <cstdlib>
#include <filesystem>

#include "sim/config/errors.hpp"
#include "sim/sweep/shards.hpp"

namespace hybridsim::sweep {

SweepWriter::SweepWriter(const SweepPlan& plan, const SweepOptions& o) : options_(o) {
  const std::int64_t last = o.last.value_or(plan.size());
  const auto journal_path = SweepJournal::path_for(o.output);
  replayed_.assign(static_cast<std::size_t>(plan.size()), 0);
  std::vector<MemberResult> journaled;
  bool rebuilt = false;
  // The journal belongs to this sweep and this range of members (a shard's, or all).
  const std::string journal_key = plan.hash() + " " + std::to_string(o.first) + "-" + std::to_string(last);
  if (o.resume) {
    rebuilt = SweepJournal::replay(
        journal_path, journal_key, plan.size(),
        [&](MemberResult r) {
          if (r.index < o.first || r.index >= last || replayed_[static_cast<std::size_t>(r.index)]) return;
          replayed_[static_cast<std::size_t>(r.index)] = 1;
          journaled.push_back(std::move(r));
        },
        journal_);
    if (!rebuilt) {
      // No journal of this sweep and range: trust the file's `done` (it says why if it is
      // another sweep's), if it holds the same shard.
      const auto shard = [](std::int64_t i, std::int64_t n) {
        return n > 0 ? "shard " + std::to_string(i) + "/" + std::to_string(n) : std::string("the whole sweep");
      };
      const auto recorded = recorded_shard(o.output);
      const std::int64_t index = recorded ? recorded->index : 0, count = recorded ? recorded->count : 0;
      if (opens_as_hdf5(o.output) && (index != o.shard_index || count != o.shard_count))
        throw sim::config::ScenarioError(sim::config::Location{"--resume " + o.output.string()},
                                         "the file holds " + shard(index, count) + ", this run is " +
                                             shard(o.shard_index, o.shard_count) + "; resume with the same --shard");
      file_.emplace(SweepFile::resume(o.output, plan));
      journal_ = SweepJournal::create(journal_path, journal_key, plan.size());
    }
  }
  if (!file_) file_.emplace(SweepFile::create(o.output, plan));
  if (!o.resume) journal_ = SweepJournal::create(journal_path, journal_key, plan.size());
  file_->set_cache_limit(o.cache_limit_bytes);
  if (o.shard_count > 0) file_->write_shard(o.shard_index, o.shard_count, o.first, last);
  for (std::int64_t i = o.first; i < last; ++i) {
    if (file_->done()[static_cast<std::size_t>(i)]) {
      ++skipped_;
      continue;
    }
    order_.push_back(i);
    if (replayed_[static_cast<std::size_t>(i)]) ++skipped_;
    else todo_.push_back(i);
  }
  progress_.emplace(static_cast<std::int64_t>(todo_.size()), o.progress, o.terminal);
  for (auto& r : journaled) store(std::move(r), {});
  drain();
}

std::optional<TextWidths> SweepWriter::text_widths() const {
  if (file_->table_rows().empty()) return std::nullopt;
  return file_->text_widths();
}

SweepWriter::RowPlan SweepWriter::row_plan() const {
  RowPlan plan;
  plan.order.assign(order_.begin() + static_cast<std::ptrdiff_t>(next_), order_.end());
  for (const auto& [index, pending] : waiting_) plan.known.emplace(index, table_rows(pending.member));
  plan.file_rows = file_->table_rows();
  return plan;
}

void SweepWriter::accept(MemberResult r, std::vector<std::uint8_t> journal_record, std::vector<PreparedTable> tables) {
  // Before the file: what the journal holds, resume can rebuild.
  if (journal_record.empty()) journal_.append(r);
  else journal_.append(journal_record);
  store(std::move(r), std::move(tables));
  drain();
}

void SweepWriter::store(MemberResult r, std::vector<PreparedTable> tables) {
  file_->write_series(r);
  if (!replayed_[static_cast<std::size_t>(r.index)]) raw_bytes_ += r.raw_bytes;
  r.chunks.clear();
  r.chunks.shrink_to_fit();
  const auto index = r.index;
  waiting_.emplace(index, Pending{std::move(r), std::move(tables)});
}

void SweepWriter::drain() {
  while (next_ < order_.size() && waiting_.contains(order_[next_])) {
    auto node = waiting_.extract(order_[next_]);
    file_->commit(node.mapped().member, node.mapped().tables);
    ++next_;
    if (replayed_[static_cast<std::size_t>(node.key())]) continue;
    ++committed_now_;
    progress_->advance();
    if (options_.abort_after >= 0 && committed_now_ >= options_.abort_after) std::_Exit(137);
  }
}

void SweepWriter::finish() {
  file_->close();
  journal_.remove();  // the file is complete: nothing left to rebuild from
  progress_->finish();
}

}  // namespace hybridsim::sweep
