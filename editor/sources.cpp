// Finding and reading source files (sources.h).
#include "sources.h"

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace glint::editor {

namespace {

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

// `name` under `dir`: as given, then with its leading folders dropped one at a time
// ("/build/src/game/player.c" -> "src/game/player.c" -> "game/player.c" -> "player.c").
std::string find_under(const fs::path& dir, const fs::path& name) {
  fs::path relative = name.relative_path();
  std::vector<fs::path> parts(relative.begin(), relative.end());
  for (size_t first = 0; first < parts.size(); ++first) {
    fs::path candidate = dir;
    for (size_t i = first; i < parts.size(); ++i) candidate /= parts[i];
    if (is_file(candidate)) return candidate.string();
  }
  return "";
}

}  // namespace

const SourceFile& SourceCache::get(const std::string& name, const std::string& module_path) {
  auto key = std::make_pair(module_path, name);
  if (auto it = files_.find(key); it != files_.end()) return it->second;
  SourceFile& f = files_[key];
  f.name = name;
  fs::path module_dir = fs::path(module_path).parent_path();
  if (is_file(name)) f.path = name;
  if (f.path.empty()) f.path = find_under(module_dir, name);
  for (size_t i = 0; f.path.empty() && i < search_path_.size(); ++i)
    f.path = find_under(search_path_[i], name);
  if (f.path.empty()) {
    f.problem = "source not found: looked for " + name + " as named, next to " + module_path;
    if (!search_path_.empty()) f.problem += " and in the --source-path folders";
    return f;
  }
  std::ifstream in(f.path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string expanded;  // ImGui draws no tabs
    for (char c : line) {
      if (c == '\t')
        expanded.append(4 - expanded.size() % 4, ' ');
      else
        expanded += c;
    }
    f.lines.push_back(std::move(expanded));
  }
  std::error_code e1, e2;
  auto source_time = fs::last_write_time(f.path, e1);
  auto module_time = fs::last_write_time(module_path, e2);
  if (!e1 && !e2 && source_time > module_time)
    f.problem = f.path + " is newer than " + fs::path(module_path).filename().string() +
                ": the code may not match these lines (rebuild the module)";
  return f;
}

}  // namespace glint::editor
