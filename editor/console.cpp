// The console's line store (console.h).
#include "console.h"

#include <cstdio>

namespace glint::editor {

void Console::add(ConsoleLine::Kind kind, std::string text, std::vector<CodePlace> places,
                  bool echo) {
  if (echo) {
    bool to_stderr = kind == ConsoleLine::Kind::Error || kind == ConsoleLine::Kind::Warn;
    FILE* out = to_stderr ? stderr : stdout;
    std::fprintf(out, "%s%s\n", kind == ConsoleLine::Kind::Command ? "> " : "", text.c_str());
    std::fflush(out);
  }
  std::lock_guard lock(mutex_);
  // One line per line of text (the panel's rows are of one height); the places go with the last.
  size_t start = 0;
  for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
    lines_.push_back({kind, text.substr(start, nl - start), {}});
  lines_.push_back({kind, text.substr(start), std::move(places)});
  if (lines_.size() > kMaxLines + kMaxLines / 4) {  // drop in chunks, not one line at a time
    size_t drop = lines_.size() - kMaxLines;
    lines_.erase(lines_.begin(), lines_.begin() + long(drop));
    dropped_ += drop;
  }
}

std::vector<ConsoleLine> Console::lines_since(size_t first) const {
  std::lock_guard lock(mutex_);
  size_t from = first > dropped_ ? first - dropped_ : 0;
  if (from >= lines_.size()) return {};
  return {lines_.begin() + long(from), lines_.end()};
}

size_t Console::size() const {
  std::lock_guard lock(mutex_);
  return dropped_ + lines_.size();
}

void Console::clear() {
  std::lock_guard lock(mutex_);
  dropped_ += lines_.size();
  lines_.clear();
}

}  // namespace glint::editor
