#include "sim/config/key_path.hpp"

#include <stdexcept>

namespace hybridsim::sim::config {
namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

KeyPath KeyPath::parse(std::string_view text) {
  KeyPath p;
  if (text.empty()) throw std::invalid_argument("empty key; expected a key path like world.btc_price.vol_per_year");
  std::size_t i = 0;
  bool need_key = true;  // at the start or after a dot: a map key must follow
  while (i < text.size()) {
    if (text[i] == '[') {
      if (p.segments_.empty())
        throw std::invalid_argument("a key path starts with a map key, not a list item");
      if (need_key && i > 0) throw std::invalid_argument("empty key before '[' (write a.b[0], not a.[0])");
      const auto close = text.find(']', i);
      if (close == std::string_view::npos) throw std::invalid_argument("'[' without a closing ']'");
      const std::string_view inside = text.substr(i + 1, close - i - 1);
      if (inside.empty()) throw std::invalid_argument("empty brackets; expected an index like [0] or a name like [cloud]");
      KeySegment s;
      if (all_digits(inside)) {
        s.kind = KeySegment::Kind::kIndex;
        if (inside.size() > 9) throw std::invalid_argument("list index " + std::string(inside) + " is too large");
        s.index = std::stoul(std::string(inside));
      } else {
        s.kind = KeySegment::Kind::kName;
        s.key = std::string(inside);
      }
      p.segments_.push_back(s);
      i = close + 1;
      need_key = false;
      if (i < text.size() && text[i] != '.' && text[i] != '[')
        throw std::invalid_argument("expected '.' or '[' after ']'");
      continue;
    }
    if (text[i] == '.') {
      if (need_key) throw std::invalid_argument("empty key segment (two dots, or a leading dot)");
      need_key = true;
      ++i;
      if (i == text.size()) throw std::invalid_argument("trailing dot; a key path ends with a key or an item");
      continue;
    }
    if (!need_key) throw std::invalid_argument("expected '.' or '[' after ']'");
    std::size_t end = i;
    while (end < text.size() && text[end] != '.' && text[end] != '[') {
      if (text[end] == ']') throw std::invalid_argument("']' without an opening '['");
      ++end;
    }
    KeySegment s;
    s.key = std::string(text.substr(i, end - i));
    p.segments_.push_back(s);
    need_key = false;
    i = end;
  }
  return p;
}

std::string KeyPath::str(std::size_t n) const {
  std::string out;
  for (std::size_t i = 0; i < segments_.size() && i < n; ++i) {
    const KeySegment& s = segments_[i];
    switch (s.kind) {
      case KeySegment::Kind::kKey: out = child_key(out, s.key); break;
      case KeySegment::Kind::kIndex: out = item_key(out, s.index); break;
      case KeySegment::Kind::kName: out += "[" + s.key + "]"; break;
    }
  }
  return out;
}

std::string item_key(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

std::string child_key(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

}  // namespace hybridsim::sim::config
