// Assets by name from one folder: sprite atlases (PNG + optional .atlas) and sounds (WAV).
// Ids are indexes into the sorted list of files, so they are the same run after run. Files
// load on first lookup.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "glint_host/renderer.h"

namespace glint::host {

class Audio;

class Assets {
 public:
  // `renderer`/`audio` may be null (then images/sounds fail to load with a message).
  Assets(std::string dir, Renderer* renderer, Audio* audio);
  const std::string& dir() const { return dir_; }
  size_t count() const { return files_.size(); }

  // The id of `name` (a path relative to the folder), loading it if needed; -1 if there is no
  // such file or it cannot be loaded (`error` says why).
  int32_t lookup(std::string_view name, std::string& error);
  const Atlas* atlas(int32_t id) const;  // null unless id is a loaded atlas
  int sound(int32_t id) const;           // mixer sample, or -1 unless id is a loaded sound

 private:
  struct Entry {
    std::string name;
    bool loaded = false;
    std::optional<Atlas> atlas;
    int sound = -1;
  };
  bool load(Entry& e, std::string& error);
  bool load_atlas(Entry& e, std::string& error);

  std::string dir_;
  Renderer* renderer_;
  Audio* audio_;
  std::vector<Entry> files_;  // sorted by name
};

// Parses an .atlas description for an image of `w` x `h`; see api.def's asset_id.
bool parse_atlas(const std::string& text, int w, int h, std::vector<AtlasFrame>& frames,
                 std::string& error);

}  // namespace glint::host
