// The persistent save slot: one file holding a section of bytes per module. With no path the
// slot lives in memory only (headless runs without --save stay reproducible).
#pragma once
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace glint::host {

class SaveSlot {
 public:
  explicit SaveSlot(std::string path = "");
  const std::string& path() const { return path_; }
  // Reads the file, if there is one. False (with `error`) if it exists but is not a save.
  bool load(std::string& error);
  bool has(const std::string& module) const { return sections_.count(module) != 0; }
  const std::vector<uint8_t>* read(const std::string& module) const;
  // Replaces a module's section and writes the file (atomically: temp file + rename).
  bool write(const std::string& module, std::span<const uint8_t> data, std::string& error);

  // Every module's section, for snapshots (set_sections changes the slot, not the file).
  const std::map<std::string, std::vector<uint8_t>>& sections() const { return sections_; }
  void set_sections(std::map<std::string, std::vector<uint8_t>> s) { sections_ = std::move(s); }

  // Default place for a game's save: $XDG_DATA_HOME/glint/NAME.sav or ~/.local/share/...
  static std::string default_path(const std::string& game);

 private:
  std::string path_;
  std::map<std::string, std::vector<uint8_t>> sections_;
};

}  // namespace glint::host
