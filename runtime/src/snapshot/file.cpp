// The snapshot and replay file container (glint/snapshot.h): header, checksum, compression;
// and the byte writer/reader that file contents are made of.
//
// Header, 48 bytes, little endian:
//   0  "GLINTSNP"       8  u32 format version   12  u32 kind
//   16 u64 module hash  24 u64 content size (uncompressed)   32 u64 compressed size
//   40 u64 checksum: XXH3-64 of bytes 0..40 and the compressed content
// The checksum covers the header too, so a flipped bit anywhere is reported as damage, not as
// (say) a snapshot of another module.
#include <unistd.h>
#include <xxhash.h>
#include <zstd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "glint/snapshot.h"

namespace glint {

namespace {

constexpr char kMagic[8] = {'G', 'L', 'I', 'N', 'T', 'S', 'N', 'P'};
constexpr size_t kHeaderSize = 48, kChecksumAt = 40;

void put64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = uint8_t(v >> (8 * i));
}
uint64_t get64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= uint64_t(p[i]) << (8 * i);
  return v;
}
uint32_t get32(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

Error file_error(std::string message) { return Error{ErrorKind::Snapshot, std::move(message)}; }

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", (unsigned long long)v);
  return buf;
}

uint64_t checksum(std::span<const uint8_t> header, std::span<const uint8_t> content) {
  XXH3_state_t* s = XXH3_createState();
  XXH3_64bits_reset(s);
  XXH3_64bits_update(s, header.data(), kChecksumAt);
  XXH3_64bits_update(s, content.data(), content.size());
  uint64_t h = XXH3_64bits_digest(s);
  XXH3_freeState(s);
  return h;
}

// Decompresses into a buffer that grows with the output, so a header that claims a huge size
// costs nothing until the data is really there.
Result<std::vector<uint8_t>> decompress(std::span<const uint8_t> in, uint64_t expected) {
  std::unique_ptr<ZSTD_DStream, size_t (*)(ZSTD_DStream*)> ds(ZSTD_createDStream(),
                                                              ZSTD_freeDStream);
  auto zstd_error = [](size_t r) {
    return file_error(std::string("cannot decompress the content: ") + ZSTD_getErrorName(r));
  };
  std::vector<uint8_t> out;
  ZSTD_inBuffer src{in.data(), in.size(), 0};
  size_t ret = 1;  // not 0: the frame goes on
  while (ret != 0) {
    if (out.size() == expected) {  // the frame must end here: one byte more tells
      uint8_t probe;
      ZSTD_outBuffer dst{&probe, 1, 0};
      ret = ZSTD_decompressStream(ds.get(), &dst, &src);
      if (ZSTD_isError(ret)) return zstd_error(ret);
      if (dst.pos) return file_error("the content is longer than the header says");
      if (ret != 0 && src.pos == src.size) return file_error("the compressed content ends early");
      continue;
    }
    size_t have = out.size();
    size_t want = size_t(std::min<uint64_t>(expected - have, std::max<size_t>(have, 1 << 20)));
    out.resize(have + want);
    ZSTD_outBuffer dst{out.data() + have, want, 0};
    ret = ZSTD_decompressStream(ds.get(), &dst, &src);
    out.resize(have + dst.pos);
    if (ZSTD_isError(ret)) return zstd_error(ret);
    if (ret != 0 && src.pos == src.size && dst.pos < want)
      return file_error("the compressed content ends early");
  }
  if (out.size() != expected)
    return file_error("the content is " + std::to_string(out.size()) + " bytes, the header says " +
                      std::to_string(expected));
  if (src.pos != src.size) return file_error("unexpected data after the compressed content");
  return out;
}

}  // namespace

const char* to_string(FileKind k) {
  switch (k) {
    case FileKind::InstanceSnapshot:
      return "instance snapshot";
    case FileKind::GameSnapshot:
      return "game snapshot";
    case FileKind::Replay:
      return "replay";
  }
  return "unknown kind of file";
}

std::vector<uint8_t> pack_file(const PackedFile& file, int zstd_level) {
  size_t bound = ZSTD_compressBound(file.content.size());
  std::vector<uint8_t> out(kHeaderSize + bound);
  size_t n = ZSTD_compress(out.data() + kHeaderSize, bound, file.content.data(),
                           file.content.size(), zstd_level);
  if (ZSTD_isError(n)) n = 0;  // cannot happen with a bound-sized buffer
  out.resize(kHeaderSize + n);
  std::memcpy(out.data(), kMagic, 8);
  put64(out.data() + 8, uint64_t(file.version) | uint64_t(uint32_t(file.kind)) << 32);
  put64(out.data() + 16, file.module_hash);
  put64(out.data() + 24, file.content.size());
  put64(out.data() + 32, n);
  put64(out.data() + kChecksumAt,
        checksum({out.data(), kHeaderSize}, {out.data() + kHeaderSize, n}));
  return out;
}

Result<PackedFile> unpack_file(std::span<const uint8_t> bytes) {
  if (bytes.size() < 8 || std::memcmp(bytes.data(), kMagic, 8) != 0)
    return file_error("not a Glint snapshot or replay file (it does not start with GLINTSNP)");
  if (bytes.size() < kHeaderSize)
    return file_error("truncated: " + std::to_string(bytes.size()) +
                      " bytes, shorter than the 48-byte header");
  PackedFile f;
  f.version = get32(bytes.data() + 8);
  f.kind = FileKind(get32(bytes.data() + 12));
  f.module_hash = get64(bytes.data() + 16);
  uint64_t size = get64(bytes.data() + 24), packed = get64(bytes.data() + 32);
  uint64_t sum = get64(bytes.data() + kChecksumAt);
  if (f.version > kSnapshotFormatVersion)
    return file_error("format version " + std::to_string(f.version) +
                      " is newer than this build of Glint reads (" +
                      std::to_string(kSnapshotFormatVersion) + ")");
  uint64_t have = bytes.size() - kHeaderSize;
  if (packed > have)
    return file_error("truncated: the header says " + std::to_string(packed) +
                      " bytes of content follow it, the file has " + std::to_string(have));
  if (packed < have)
    return file_error(std::to_string(have - packed) +
                      " unexpected bytes after the end of the content");
  uint64_t computed = checksum(bytes.first(kHeaderSize), bytes.subspan(kHeaderSize));
  if (computed != sum)
    return file_error("checksum mismatch: the file is damaged (stored " + hex(sum) + ", computed " +
                      hex(computed) + ")");
  if (f.version == 0 || (f.kind != FileKind::InstanceSnapshot && f.kind != FileKind::GameSnapshot &&
                         f.kind != FileKind::Replay))
    return file_error("unknown version or kind in the header");
  auto content = decompress(bytes.subspan(kHeaderSize), size);
  if (!content) return content.error();
  f.content = std::move(*content);
  return f;
}

Result<void> write_file(const std::string& path, std::span<const uint8_t> bytes) {
  std::string tmp = path + ".tmp" + std::to_string(getpid());
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f || !f.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size())))
      return Error{ErrorKind::Io, "cannot write '" + tmp + "'"};
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return Error{ErrorKind::Io, "cannot write '" + path + "': " + ec.message()};
  }
  return {};
}

Result<std::vector<uint8_t>> read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Error{ErrorKind::Io, "cannot open '" + path + "'"};
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (f.bad()) return Error{ErrorKind::Io, "cannot read '" + path + "'"};
  return bytes;
}

// ---- bytes ------------------------------------------------------------------------------------

void ByteWriter::u32(uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(uint8_t(v >> (8 * i)));
}
void ByteWriter::u64(uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(uint8_t(v >> (8 * i)));
}
void ByteWriter::f64(double v) {
  uint64_t b;
  std::memcpy(&b, &v, 8);
  u64(b);
}
void ByteWriter::bytes(std::span<const uint8_t> b) {
  u64(b.size());
  raw(b.data(), b.size());
}
void ByteWriter::str(std::string_view s) {
  u32(uint32_t(s.size()));
  raw(s.data(), s.size());
}
void ByteWriter::raw(const void* p, size_t n) {
  auto* b = static_cast<const uint8_t*>(p);
  out.insert(out.end(), b, b + n);
}

bool ByteReader::fail(std::string why) {
  if (error_.empty()) error_ = std::move(why);
  pos_ = in_.size();
  return false;
}

bool ByteReader::take(size_t n, const char* what) {
  if (!error_.empty()) return false;
  if (n <= in_.size() - pos_) return true;
  return fail("truncated content: " + std::to_string(n) + " bytes of '" + what + "' at byte " +
              std::to_string(pos_) + ", " + std::to_string(in_.size() - pos_) + " left");
}

uint8_t ByteReader::u8(const char* what) {
  if (!take(1, what)) return 0;
  return in_[pos_++];
}
uint32_t ByteReader::u32(const char* what) {
  if (!take(4, what)) return 0;
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t(in_[pos_ + i]) << (8 * i);
  pos_ += 4;
  return v;
}
uint64_t ByteReader::u64(const char* what) {
  if (!take(8, what)) return 0;
  uint64_t v = get64(in_.data() + pos_);
  pos_ += 8;
  return v;
}
double ByteReader::f64(const char* what) {
  uint64_t b = u64(what);
  double d;
  std::memcpy(&d, &b, 8);
  return d;
}
std::span<const uint8_t> ByteReader::bytes(const char* what) {
  uint64_t n = u64(what);
  if (!take(size_t(std::min<uint64_t>(n, SIZE_MAX)), what)) return {};
  auto s = in_.subspan(pos_, size_t(n));
  pos_ += size_t(n);
  return s;
}
std::string ByteReader::str(const char* what) {
  uint32_t n = u32(what);
  if (!take(n, what)) return {};
  std::string s(reinterpret_cast<const char*>(in_.data() + pos_), n);
  pos_ += n;
  return s;
}
bool ByteReader::raw(void* p, size_t n, const char* what) {
  if (!take(n, what)) return false;
  std::memcpy(p, in_.data() + pos_, n);
  pos_ += n;
  return true;
}
uint64_t ByteReader::count(const char* what, size_t min_item_bytes) {
  uint64_t n = u64(what);
  if (!ok()) return 0;
  uint64_t left = in_.size() - pos_;
  if (min_item_bytes && n > left / min_item_bytes) {
    fail("bad count: " + std::to_string(n) + " " + what + " cannot fit in the " +
         std::to_string(left) + " bytes left at byte " + std::to_string(pos_));
    return 0;
  }
  return n;
}

}  // namespace glint
