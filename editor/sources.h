// Source files for the source view. A file is looked for where the DWARF names it, then next
// to the module (the DWARF's relative path, then its file name), then in each folder of the
// search path (--source-path) the same way. It is read once; a file newer than the module is
// shown with a warning, since its lines may no longer match the code.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace glint::editor {

struct SourceFile {
  std::string name;  // as the DWARF names it
  std::string path;  // where it was found; "" if it was not
  std::vector<std::string> lines;
  std::string problem;  // "" or why the view may be wrong: not found, newer than the module
};

class SourceCache {
 public:
  explicit SourceCache(std::vector<std::string> search_path = {})
      : search_path_(std::move(search_path)) {}
  // The file `name` for the module at `module_path`.
  const SourceFile& get(const std::string& name, const std::string& module_path);
  void forget() { files_.clear(); }  // read again at next use
  const std::vector<std::string>& search_path() const { return search_path_; }

 private:
  std::vector<std::string> search_path_;
  std::map<std::pair<std::string, std::string>, SourceFile> files_;  // (module, name)
};

}  // namespace glint::editor
