// Snapshots: the whole state of an instance (its memories, globals, tables and dropped
// segments), captured and restored between calls, or at a debugger stop together with the
// paused call; a file format for them; and a ring of per-frame snapshots for rewind.
//
//   glint::Snapshot snap;
//   glint::capture(*inst, snap);                    // Result<void>; copies only the memory
//                                                   // pages written since the last capture
//   auto file = glint::encode_snapshot(snap);       // version, module hash, xxHash, zstd
//   auto back = glint::decode_snapshot(file);       // Result<Snapshot>: refuses bad files
//   glint::restore(*inst, *back);                   // checks everything first: on an error
//                                                   // the instance is untouched
//
//   glint::SnapshotRing ring(*inst);                // tracks which memory pages change
//   ring.push(frame);                               // after each frame: copies changed pages
//   ring.restore(frame - 120);                      // rewind two seconds
//
// Function references are stored as indices in the instance's function space, so a snapshot
// restores into another instance of the same module, in this process or another. The file
// format and the byte writer/reader below are public so that an embedder can put its own state
// in the same files (host_api's game snapshots and replays do).
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "glint/error.h"
#include "glint/types.h"

namespace glint {

class Instance;
class Memory;
class Store;

// 4 KiB of a memory as snapshots hold it. A page is never changed once made, so snapshots
// share the pages they have in common: a capture copies only the pages written since the
// memory's last capture or restore and shares the rest with it.
constexpr size_t kSnapshotPageSize = 4096;
using SnapshotPage = std::array<uint8_t, kSnapshotPageSize>;
using SharedPage = std::shared_ptr<const SnapshotPage>;

struct MemoryState {
  uint64_t size = 0;                            // bytes (whole 64 KiB pages)
  std::vector<SharedPage> pages;                // size / 4096 pages; null: all zeros
  std::vector<uint8_t> bytes() const;           // the whole memory, in one piece
  void copy_to(uint8_t* out) const;             // size bytes
  void assign(std::span<const uint8_t> bytes);  // from bytes in one piece
};

struct GlobalState {
  ValType type = ValType::I32;
  uint64_t bits = 0;  // as Value::bits; a funcref is an index (see TableState)
  uint64_t hi = 0;    // the upper 64 bits of a v128
};

struct TableState {
  ValType elem = ValType::FuncRef;
  // funcref: 0 for null, else 1 + the function's index in the instance's function space;
  // externref: the host word.
  std::vector<uint64_t> refs;
};

// A call stopped in the debugger, position-independent: code positions are (function,
// instruction) indices and frame pointers are slot offsets, so it can be resumed in another
// process (resume_paused).
struct PausedFrame {
  uint32_t func_index = 0;  // in the instance's function space
  uint32_t code_index = 0;  // innermost: the instruction about to run; callers: where they
                            // resume after the call
  uint64_t fp = 0;          // its slot 0, in slots from the host's arguments
};
// An exception a catch of the paused call took: what a `rethrow` in that catch throws. The
// values a catch gives its code are in the frame's slots already; this is the exception itself.
struct PausedCatch {
  uint32_t frame = 0;  // index in PausedCall::frames
  uint32_t level = 0;  // the catch's nesting level in its function
  uint32_t tag = 0;    // in the instance's tag space
  std::vector<uint64_t> values;
};
struct PausedCall {
  uint32_t entry_func = 0;          // the function the host called
  std::vector<PausedFrame> frames;  // outermost first
  std::vector<uint64_t> slots;      // the VM stack, from the host's arguments to the innermost
                                    // frame's last slot
  uint64_t loop_reg = 0;
  std::vector<PausedCatch> caught;  // innermost last
};

struct Snapshot {
  uint64_t module_hash = 0;  // Module::content_hash() of the module it was taken from
  std::vector<MemoryState> memories;
  std::vector<GlobalState> globals;
  std::vector<TableState> tables;
  std::vector<uint8_t> dropped_elems, dropped_datas;  // 1: dropped (elem.drop, data.drop)
  std::optional<PausedCall> paused;                   // taken at a debugger stop
};

// Captures `inst` into `out`: a complete state that later writes to the instance never
// change. Memory pages not written since the memory's last capture or restore are shared with
// that snapshot, so a capture costs in proportion to what was written since (the first one of
// a memory copies it all). Between calls; during a call only from the debug handler, at a stop,
// which also captures the paused call (see capture_paused). Fails if a table holds a function
// of another instance.
Result<void> capture(const Instance& inst, Snapshot& out);
// Writes a snapshot back. Everything is checked before anything is written (module, counts,
// types, sizes against the memories' maximum): on an error the instance is unchanged. A
// memory larger than the snapshot's shrinks back to its size. The paused call is not resumed
// here (resume_paused does that). Writes only the pages that the instance wrote since its last
// capture or restore, and those that differ from it (into a memory never captured: all).
Result<void> restore(Instance& inst, const Snapshot& snap);
// The checks restore() makes, without writing (to restore several instances all or nothing).
Result<void> check_restore(const Instance& inst, const Snapshot& snap);

// At a debugger stop (inside the store's debug handler), the same as capture plus the paused
// call: the VM stack and frames of the stopped call, which must be of this one instance.
Result<void> capture_paused(const Instance& inst, Snapshot& out);
// Restores `snap` (taken with capture_paused) into `inst` and resumes its call: the store's
// debug handler is called first with a stop (reason Pause) where the snapshot was taken, and
// may step from there. Returns the results of the call the host had made, when it returns.
Result<std::vector<Value>> resume_paused(Instance& inst, const Snapshot& snap);

// ---- Files ------------------------------------------------------------------------------------

// Every snapshot and replay file: a 48-byte header (magic "GLINTSNP", format version, kind,
// module hash, sizes, and an xxHash3 checksum of the header and the content), then the content
// compressed with zstd.
enum class FileKind : uint32_t { InstanceSnapshot = 1, GameSnapshot = 2, Replay = 3 };
constexpr uint32_t kSnapshotFormatVersion = 1;
const char* to_string(FileKind k);  // "instance snapshot", "game snapshot", "replay"

struct PackedFile {
  FileKind kind = FileKind::InstanceSnapshot;
  uint32_t version = kSnapshotFormatVersion;
  uint64_t module_hash = 0;
  std::vector<uint8_t> content;  // uncompressed
};
// zstd level 1: fast enough for a snapshot a frame; memories compress well anyway.
std::vector<uint8_t> pack_file(const PackedFile& file, int zstd_level = 1);
// Checks the magic, version (newer than this build reads: refused), sizes (truncated or extra
// bytes), checksum (any flipped bit), then decompresses. Errors are ErrorKind::Snapshot, and
// say which check failed. Never allocates more than the content actually decompresses to.
Result<PackedFile> unpack_file(std::span<const uint8_t> bytes);

std::vector<uint8_t> encode_snapshot(const Snapshot& snap);
// unpack_file, then the content; `expect_module` (if not 0) must equal the snapshot's module.
Result<Snapshot> decode_snapshot(std::span<const uint8_t> bytes, uint64_t expect_module = 0);
Result<void> write_file(const std::string& path, std::span<const uint8_t> bytes);  // atomic
Result<std::vector<uint8_t>> read_file(const std::string& path);

// Little-endian writer and bounds-checked reader for file contents. The reader never throws:
// after the first failed read it returns zeros and ok() is false, and error() says what was
// read where ("truncated content: 8 bytes of 'memory size' at byte 120, 4 left").
class ByteWriter {
 public:
  void u8(uint8_t v) { out.push_back(v); }
  void u32(uint32_t v);
  void u64(uint64_t v);
  void f64(double v);
  void bytes(std::span<const uint8_t> b);  // length-prefixed (u64)
  void str(std::string_view s);            // length-prefixed (u32)
  void raw(const void* p, size_t n);       // no prefix
  std::vector<uint8_t> out;
};
class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> in) : in_(in) {}
  uint8_t u8(const char* what);
  uint32_t u32(const char* what);
  uint64_t u64(const char* what);
  double f64(const char* what);
  std::span<const uint8_t> bytes(const char* what);
  std::string str(const char* what);
  bool raw(void* p, size_t n, const char* what);
  // A count of items of at least `min_item_bytes` each: fails if that many cannot fit in what
  // is left, so a damaged count never makes the caller allocate much.
  uint64_t count(const char* what, size_t min_item_bytes);
  bool fail(std::string why);  // records the first failure; returns false
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  size_t offset() const { return pos_; }
  bool done() const { return pos_ == in_.size(); }

 private:
  bool take(size_t n, const char* what);
  std::span<const uint8_t> in_;
  size_t pos_ = 0;
  std::string error_;
};

// An instance snapshot as part of a file's content (game snapshots hold one per module).
void write_instance_state(ByteWriter& w, const Snapshot& snap);
bool read_instance_state(ByteReader& r, Snapshot& snap);  // false: r.error() says why

// ---- Rewind ---------------------------------------------------------------------------------

struct RingConfig {
  size_t max_frames = 600;               // 10 s at 60 frames per second
  size_t max_bytes = size_t(256) << 20;  // memory pages, per-frame state and extras together
  // Ask the kernel which pages were written (where it can tell); false: compare every page
  // with the ring's copy (what happens anyway on kernels that cannot tell).
  bool kernel_tracking = true;
};

// Per-frame snapshots of one instance for rewind and replay. The first push copies the whole
// state; each later one copies only the memory pages written since (dirty pages: the kernel's
// write tracking where it has it, else a comparison of each page with the ring's copy), so a
// frame costs in proportion to what it changed. The oldest frames are dropped to stay within
// both limits. Restoring a held frame writes back only the pages that differ.
//
// One timeline: push(frame) continues from the frame the instance was last synchronized with
// (the last push or restore), dropping the held frames after it, so scrubbing back and forth
// with restore() keeps everything and resuming play from a restored frame branches there.
class SnapshotRing {
 public:
  explicit SnapshotRing(Instance& inst, RingConfig config = {});
  ~SnapshotRing();
  SnapshotRing(const SnapshotRing&) = delete;
  SnapshotRing& operator=(const SnapshotRing&) = delete;

  // Captures the instance as `frame` (greater than the frame it was last synchronized with),
  // with `extra`: the embedder's state for that frame (host state, input), kept alongside.
  Result<void> push(uint64_t frame, std::vector<uint8_t> extra = {});
  // Restores a held frame (instance and nothing else: extra(frame) is the embedder's part).
  Result<void> restore(uint64_t frame);
  // A standalone snapshot of a held frame (to save it as a file).
  Result<void> snapshot(uint64_t frame, Snapshot& out) const;
  const std::vector<uint8_t>* extra(uint64_t frame) const;  // null if not held

  bool holds(uint64_t frame) const;
  std::optional<uint64_t> first_frame() const;
  std::optional<uint64_t> last_frame() const;
  size_t frames() const;
  size_t bytes_used() const;  // what the limits count
  // Memory pages copied by the pushes after the first (what the frames wrote, as the
  // tracking saw it): a measure of what keeping the timeline costs per frame.
  uint64_t pages_pushed() const;
  const RingConfig& config() const { return config_; }
  void set_config(RingConfig config);  // drops the oldest frames if they no longer fit
  void drop_oldest();                  // the oldest held frame, unless it is the only one
  // "userfaultfd write protection" or "page comparison" (see runtime/SNAPSHOTS.md).
  const char* tracking() const;
  Instance& instance() const { return *inst_; }

  struct Impl;

 private:
  Instance* inst_;
  RingConfig config_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace glint
