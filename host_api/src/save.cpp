// Save file format (little endian): "GLSV", u32 section count, then per section
// u32 name length, name, u32 data length, data.
#include "glint_host/save.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace glint::host {

namespace {
void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(char(v >> (8 * i)));
}
bool get_u32(const std::string& in, size_t& pos, uint32_t& v) {
  if (in.size() - pos < 4) return false;
  v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t(uint8_t(in[pos + i])) << (8 * i);
  pos += 4;
  return true;
}
}  // namespace

SaveSlot::SaveSlot(std::string path) : path_(std::move(path)) {}

bool SaveSlot::load(std::string& error) {
  sections_.clear();
  if (path_.empty()) return true;
  std::ifstream f(path_, std::ios::binary);
  if (!f) return true;  // no save yet
  std::string in((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  size_t pos = 4;
  uint32_t count = 0;
  if (in.compare(0, 4, "GLSV") != 0 || !get_u32(in, pos, count)) {
    error = path_ + ": not a Glint save file";
    return false;
  }
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t name_len = 0, data_len = 0;
    bool ok = get_u32(in, pos, name_len) && in.size() - pos >= name_len;
    std::string name = ok ? in.substr(pos, name_len) : "";
    pos += ok ? name_len : 0;
    ok = ok && get_u32(in, pos, data_len) && in.size() - pos >= data_len;
    if (!ok) {
      sections_.clear();
      error = path_ + ": save file is truncated";
      return false;
    }
    sections_[name].assign(in.begin() + long(pos), in.begin() + long(pos + data_len));
    pos += data_len;
  }
  return true;
}

const std::vector<uint8_t>* SaveSlot::read(const std::string& module) const {
  auto it = sections_.find(module);
  return it == sections_.end() ? nullptr : &it->second;
}

bool SaveSlot::write(const std::string& module, std::span<const uint8_t> data, std::string& error) {
  sections_[module].assign(data.begin(), data.end());
  if (path_.empty()) return true;
  std::string out = "GLSV";
  put_u32(out, uint32_t(sections_.size()));
  for (const auto& [name, bytes] : sections_) {
    put_u32(out, uint32_t(name.size()));
    out += name;
    put_u32(out, uint32_t(bytes.size()));
    out.append(bytes.begin(), bytes.end());
  }
  std::error_code ec;
  std::filesystem::path p(path_);
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  std::string tmp = path_ + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f || !f.write(out.data(), std::streamsize(out.size()))) {
      error = "cannot write " + tmp;
      return false;
    }
  }
  std::filesystem::rename(tmp, path_, ec);
  if (ec) {
    error = "cannot replace " + path_ + ": " + ec.message();
    return false;
  }
  return true;
}

std::string SaveSlot::default_path(const std::string& game) {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return std::string(xdg) + "/glint/" + game + ".sav";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.local/share/glint/" + game + ".sav";
  return game + ".sav";
}

}  // namespace glint::host
