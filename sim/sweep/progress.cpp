#include "sim/sweep/progress.hpp"

#include <string>

#include <fmt/format.h>

namespace hybridsim::sweep {

namespace {

std::string clock_text(double s) {
  if (!(s >= 0) || s > 1e7) return "--";
  const auto t = static_cast<long long>(s + 0.5);
  if (t >= 3600) return fmt::format("{}h{:02}m", t / 3600, t / 60 % 60);
  if (t >= 60) return fmt::format("{}m{:02}s", t / 60, t % 60);
  return fmt::format("{}s", t);
}

}  // namespace

Progress::Progress(std::int64_t total, std::FILE* out, bool terminal, double plain_every_s, std::string label,
                   double delay_s)
    : total_(total), out_(out), terminal_(terminal), plain_every_s_(plain_every_s), label_(std::move(label)),
      delay_s_(delay_s), start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

void Progress::advance() {
  ++done_;
  maybe_draw();
}

void Progress::update(std::int64_t done, std::function<std::string()> detail) {
  done_ = done;
  detail_ = std::move(detail);
  maybe_draw();
}

void Progress::maybe_draw() {
  if (!out_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!drawn_ && std::chrono::duration<double>(now - start_).count() < delay_s_) return;
  const double since = std::chrono::duration<double>(now - last_draw_).count();
  // The first line after a delay comes at once; then a terminal redraws often, a log rarely.
  if ((!drawn_ && delay_s_ > 0) || (terminal_ ? since >= 0.1 : since >= plain_every_s_)) draw(false);
}

void Progress::finish() {
  if (!out_) return;
  if (!drawn_ && std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count() < delay_s_) return;
  draw(true);
}

void Progress::draw(bool last) {
  if (!out_) return;
  drawn_ = true;
  last_draw_ = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(last_draw_ - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0.0;
  const double left = rate > 0 ? static_cast<double>(total_ - done_) / rate : -1;
  const std::string detail = detail_ ? detail_() : std::string();
  std::string figures;
  if (detail.empty()) {  // members of a sweep
    figures = last ? fmt::format("{}/{} members in {}, {:.2f}/s", done_, total_, clock_text(elapsed), rate)
                   : fmt::format("{}/{} members, {:.2f}/s, ETA {}", done_, total_, rate, clock_text(left));
  } else {
    const double percent = total_ > 0 ? 100.0 * static_cast<double>(done_) / static_cast<double>(total_) : 100.0;
    figures = last ? fmt::format("{} ({:.0f}%) in {}", detail, percent, clock_text(elapsed))
                   : fmt::format("{} ({:.0f}%), ETA {}", detail, percent, clock_text(left));
  }
  if (terminal_) {
    constexpr int kWidth = 30;
    const int filled = total_ > 0 ? static_cast<int>(kWidth * done_ / total_) : kWidth;
    fmt::print(out_, "\r[{}{}] {}\x1b[K{}", std::string(static_cast<std::size_t>(filled), '#'),
               std::string(static_cast<std::size_t>(kWidth - filled), '.'), figures, last ? "\n" : "");
  } else {
    fmt::print(out_, "{}: {}\n", label_, figures);
  }
  std::fflush(out_);
}

}  // namespace hybridsim::sweep
