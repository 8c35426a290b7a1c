#include "sweep/sweep_writer.hpp"

#include <cstdlib>
#include <filesystem>

namespace hybridsim::sweep {

SweepWriter::SweepWriter(const SweepPlan& plan, const SweepOptions& o) : options_(o) {
  const std::int64_t last = o.last.value_or(plan.size());
  const auto journal_path = SweepJournal::path_for(o.output);
  replayed_.assign(static_cast<std::size_t>(plan.size()), 0);
  std::vector<MemberResult> journaled;
  bool rebuilt = false;
  if (o.resume) {
    rebuilt = SweepJournal::replay(
        journal_path, plan.hash(), plan.size(),
        [&](MemberResult r) {
          if (r.index < o.first || r.index >= last || replayed_[static_cast<std::size_t>(r.index)]) return;
          replayed_[static_cast<std::size_t>(r.index)] = 1;
          journaled.push_back(std::move(r));
        },
        journal_);
    if (!rebuilt) {
      // No journal of this sweep: trust the file's `done` (it says why if it is another sweep's).
      file_.emplace(SweepFile::resume(o.output, plan));
      journal_ = SweepJournal::create(journal_path, plan.hash(), plan.size());
    }
  }
  if (!file_) file_.emplace(SweepFile::create(o.output, plan));
  if (!o.resume) journal_ = SweepJournal::create(journal_path, plan.hash(), plan.size());
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
  for (auto& r : journaled) store(std::move(r), true);
  drain();
}

void SweepWriter::accept(MemberResult r) {
  journal_.append(r);  // before the file: what the journal holds, resume can rebuild
  store(std::move(r), false);
  drain();
}

void SweepWriter::store(MemberResult r, bool /*replayed*/) {
  file_->write_series(r);
  if (!replayed_[static_cast<std::size_t>(r.index)]) raw_bytes_ += r.raw_bytes;
  r.chunks.clear();
  r.chunks.shrink_to_fit();
  const auto index = r.index;
  waiting_.emplace(index, std::move(r));
}

void SweepWriter::drain() {
  while (next_ < order_.size() && waiting_.contains(order_[next_])) {
    auto node = waiting_.extract(order_[next_]);
    file_->commit(node.mapped());
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
