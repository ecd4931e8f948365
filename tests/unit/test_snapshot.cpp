// Snapshots (glint/snapshot.h): capture and restore, the file format and every way a file can
// be bad, the per-frame ring with both ways of finding written pages, and paused calls.
#include <doctest/doctest.h>
#include <unistd.h>
#include <xxhash.h>

#include <cstring>
#include <deque>
#include <random>

#include "compile/helper_thread.h"
#include "glint/glint.h"
#include "glint/snapshot.h"
#include "snapshot/dirty_pages.h"
#include "snapshot/page_image.h"
#include "support.h"

using namespace glint;

namespace {

std::shared_ptr<const Module> snapshot_module() { return test::load_test_module("snapshot.wasm"); }

struct Game {
  std::shared_ptr<const Module> module;
  Store store;
  Instance* inst = nullptr;
  explicit Game(std::shared_ptr<const Module> m = snapshot_module()) : module(std::move(m)) {
    auto r = Linker().instantiate(store, module);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    inst = *r;
  }
  void step(int32_t seed) { REQUIRE(inst->call<void>("step", seed).ok()); }
  int32_t call_slot(int32_t i) {
    auto r = inst->call<int32_t>("call_slot", i);
    return r ? *r : -1;
  }
  Memory& memory() { return *inst->memory(); }
  // Everything wasm can see, as one number.
  uint64_t hash() {
    Memory& m = memory();
    uint64_t h = XXH3_64bits(m.data(), m.size());
    h ^= XXH3_64bits_withSeed(&inst->globals_[0]->bits_, 8, h);
    for (uint64_t e : inst->tables_[0]->elems_) {  // functions by index: the same in any instance
      uint64_t index = e ? reinterpret_cast<Function*>(e)->index() + 1 : 0;
      h = XXH3_64bits_withSeed(&index, 8, h);
    }
    return h ^ m.size();
  }
};

Snapshot take(Game& g) {
  Snapshot s;
  auto r = capture(*g.inst, s);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
  return s;
}

std::string error_of(const Result<Snapshot>& r) {
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Snapshot);
  return r.error().message;
}

}  // namespace

TEST_CASE("capture, run on, restore: the state and what happens next are the same") {
  Game g;
  REQUIRE(g.inst->call<void>("setup").ok());
  for (int i = 1; i <= 20; i++) g.step(i);
  Snapshot s = take(g);
  uint64_t at_capture = g.hash();

  for (int i = 21; i <= 40; i++) g.step(i);
  uint64_t continued = g.hash();
  REQUIRE(g.inst->call<int32_t>("grow", 3).ok());
  REQUIRE(g.inst->tables_[0]->grow(2, 0) >= 0);
  CHECK(g.hash() != at_capture);

  REQUIRE(restore(*g.inst, s).ok());
  CHECK(g.hash() == at_capture);
  CHECK(g.memory().pages() == 1);  // shrunk back
  CHECK(g.inst->globals_[0]->bits_ == 20);
  CHECK(g.call_slot(2) == 3);  // the table as setup() left it
  for (int i = 21; i <= 40; i++) g.step(i);
  CHECK(g.hash() == continued);
}

TEST_CASE("a snapshot file restores into a new instance; segment drops come back too") {
  Game a;
  for (int i = 1; i <= 5; i++) a.step(i);
  Snapshot before_setup = take(a);
  REQUIRE(a.inst->call<void>("setup").ok());
  CHECK_FALSE(a.inst->call<void>("init_again").ok());  // the segment is dropped
  auto file = encode_snapshot(take(a));

  Game b;
  auto s = decode_snapshot(file, b.module->content_hash());
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().to_string()));
  REQUIRE(restore(*b.inst, *s).ok());
  CHECK(b.hash() == a.hash());
  CHECK(b.call_slot(2) == 3);
  CHECK(std::string(reinterpret_cast<char*>(b.memory().data()) + 64, 15) == "hello, snapshot");
  CHECK_FALSE(b.inst->call<void>("init_again").ok());

  REQUIRE(restore(*b.inst, before_setup).ok());  // undropped: passive segments usable again
  CHECK(b.call_slot(2) == -1);
  CHECK(b.inst->call<void>("init_again").ok());
  REQUIRE(b.inst->call<void>("setup").ok());
  CHECK(b.call_slot(2) == 3);
}

TEST_CASE("bad snapshot files are refused with what is wrong, and the instance is untouched") {
  Game g;
  for (int i = 1; i <= 10; i++) g.step(i);
  auto good = encode_snapshot(take(g));
  for (int i = 11; i <= 15; i++) g.step(i);
  uint64_t live = g.hash();
  auto attempt = [&](std::span<const uint8_t> bytes) {
    auto s = decode_snapshot(bytes, g.module->content_hash());
    if (s) CHECK_FALSE(restore(*g.inst, *s).ok());
    CHECK(g.hash() == live);
    return s;
  };

  SUBCASE("truncated, at every length class") {
    for (size_t n :
         {size_t(0), size_t(5), size_t(47), size_t(48), good.size() / 2, good.size() - 1}) {
      auto s = attempt(std::span(good).first(n));
      std::string e = error_of(s);
      CHECK_MESSAGE((n < 8 ? e.find("not a Glint") : e.find("truncated")) != std::string::npos, e);
    }
  }
  SUBCASE("any flipped bit: header or content") {
    for (size_t at : {size_t(9), size_t(17), size_t(30), size_t(41), size_t(48), good.size() / 2,
                      good.size() - 1}) {
      auto bad = good;
      bad[at] ^= 0x10;
      std::string e = error_of(attempt(bad));
      bool expected = e.find("checksum mismatch") != std::string::npos ||
                      e.find("newer") != std::string::npos ||    // the version field
                      e.find("truncated") != std::string::npos;  // the size field
      CHECK_MESSAGE(expected, at << ": " << e);
    }
  }
  SUBCASE("extra bytes at the end") {
    auto bad = good;
    bad.push_back(0);
    CHECK(error_of(attempt(bad)).find("unexpected bytes after") != std::string::npos);
  }
  SUBCASE("a newer format version") {
    PackedFile f = *unpack_file(good);
    f.version = kSnapshotFormatVersion + 1;
    std::string e = error_of(attempt(pack_file(f)));
    CHECK_MESSAGE(
        e.find("format version 2 is newer than this build of Glint reads (1)") != std::string::npos,
        e);
  }
  SUBCASE("another module's snapshot") {
    Game other(test::load_test_module("debug.wasm"));
    auto theirs = encode_snapshot(take(other));
    CHECK(error_of(attempt(theirs)).find("of another module") != std::string::npos);
    // Without the expected hash, decoding works and restore refuses.
    auto s = decode_snapshot(theirs);
    REQUIRE(s.ok());
    auto r = restore(*g.inst, *s);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("of another module") != std::string::npos);
    CHECK(g.hash() == live);
  }
  SUBCASE("another kind of file, and content that does not parse") {
    PackedFile f = *unpack_file(good);
    f.kind = FileKind::Replay;
    CHECK(error_of(attempt(pack_file(f))).find("a replay file, not") != std::string::npos);
    f = *unpack_file(good);
    f.content.erase(f.content.end() - 3, f.content.end());  // the last 3 bytes
    CHECK(error_of(attempt(pack_file(f))).find("malformed content: truncated") !=
          std::string::npos);
  }
  SUBCASE("a snapshot that does not fit the instance") {
    Snapshot s = *decode_snapshot(good);
    s.memories[0].size = 32 * 65536;  // over the maximum of 16 pages
    s.memories[0].pages.resize(s.memories[0].size / kSnapshotPageSize);
    auto r = restore(*g.inst, s);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("cannot hold") != std::string::npos);
    s = *decode_snapshot(good);
    s.tables[0].refs[1] = 999;
    r = restore(*g.inst, s);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("does not have") != std::string::npos);
    CHECK(g.hash() == live);
  }
}

// Captures share the pages not written since with the capture before, and restores write only
// what differs: every snapshot must still be exactly the state it was taken of, whatever is
// written after it, with the memory growing and shrinking in between, with a ring on the same
// memory, and with both ways of finding written pages.
static void captures_stay_exact(bool kernel_tracking) {
  detail::DirtyPages::allow_kernel_tracking(kernel_tracking);
  Game g;
  REQUIRE(g.inst->call<void>("setup").ok());
  SnapshotRing ring(*g.inst);
  std::mt19937 rng(kernel_tracking ? 11 : 12);
  auto scribble = [&](int writes) {  // host writes anywhere, and the game's own
    Memory& m = g.memory();
    for (int i = 0; i < writes; i++) m.data()[rng() % m.size()] = uint8_t(rng());
    g.step(int32_t(rng() % 1000));
  };
  std::vector<Snapshot> held;
  std::vector<uint64_t> hashes;
  for (uint64_t round = 0; round < 40; round++) {
    scribble(int(rng() % 200));
    if (round % 9 == 4) REQUIRE(g.inst->call<int32_t>("grow", 1).ok());
    if (round % 13 == 12) REQUIRE(restore(*g.inst, held[rng() % held.size()]).ok());
    held.push_back(take(g));
    hashes.push_back(g.hash());
    REQUIRE(ring.push(round).ok());
  }
  Snapshot reused;  // captured into again and again
  for (int i = 0; i < 60; i++) {
    size_t k = rng() % held.size();
    REQUIRE(restore(*g.inst, held[k]).ok());
    CHECK_MESSAGE(g.hash() == hashes[k], "snapshot " << k);
    if (i % 4 == 0 && g.memory().pages() < 16) {  // grown back over pages a restore gave back
      uint64_t old_size = g.memory().size();
      REQUIRE(g.inst->call<int32_t>("grow", 1).ok());
      bool zeros = true;
      for (uint64_t a = old_size; a < g.memory().size(); a++) zeros &= g.memory().data()[a] == 0;
      CHECK(zeros);
    }
    scribble(int(rng() % 3000));
    if (i % 3 == 0) {
      REQUIRE(capture(*g.inst, reused).ok());
      uint64_t h = g.hash();
      scribble(500);
      REQUIRE(restore(*g.inst, reused).ok());
      CHECK(g.hash() == h);
      auto file = decode_snapshot(encode_snapshot(reused));  // files hold the whole state
      REQUIRE(file.ok());
      Game other;
      REQUIRE(restore(*other.inst, *file).ok());
      CHECK(other.hash() == h);
    }
  }
  for (uint64_t f : {39u, 31u, 35u}) {  // the ring, on the same write tracking, still exact
    REQUIRE(ring.restore(f).ok());
    CHECK(g.hash() == hashes[f]);
  }
  bool kernel = detail::DirtyPages::of(g.memory()) != nullptr;
  MESSAGE("written pages found by " << (kernel ? "the kernel" : "comparison"));
  CHECK((kernel_tracking || !kernel));
  detail::DirtyPages::allow_kernel_tracking(true);
}

TEST_CASE("captures stay exact under any later writes (the kernel's write tracking if present)") {
  captures_stay_exact(true);
}

TEST_CASE("captures stay exact under any later writes (comparing pages)") {
  captures_stay_exact(false);
}

// Every page written between captures, the worst case: each capture copies the whole memory
// (in 2 MiB blocks, recycled as older captures are dropped) and each restore writes it all,
// in two instances at once. Every snapshot must stay exact, restored from several captures
// back after still more writes, and in a file.
namespace {
struct BigMemory {
  Store store;
  Instance* inst = nullptr;
  explicit BigMemory(const std::shared_ptr<const Module>& module) {
    auto r = Linker().instantiate(store, module);
    REQUIRE(r.ok());
    inst = *r;
  }
  void write_every_page(int32_t seed) { REQUIRE(inst->call<void>("write_every_page", seed).ok()); }
  uint64_t hash() { return XXH3_64bits(inst->memory()->data(), inst->memory()->size()); }
};
}  // namespace

static void every_page_written(bool kernel_tracking) {
  detail::DirtyPages::allow_kernel_tracking(kernel_tracking);
  auto module = test::load_test_module("snapshot_big.wasm");
  BigMemory a(module), b(module);
  struct Held {
    Snapshot a, b;
    uint64_t hash_a, hash_b;
  };
  std::deque<Held> held;
  for (int32_t round = 1; round <= 12; round++) {
    a.write_every_page(round);
    b.write_every_page(1000 + round);
    Held& h = held.emplace_back();
    REQUIRE(capture(*a.inst, h.a).ok());
    REQUIRE(capture(*b.inst, h.b).ok());
    h.hash_a = a.hash();
    h.hash_b = b.hash();
    if (held.size() > 4) held.pop_front();  // its blocks go to the next captures
    if (round % 3 == 0) {
      size_t k = size_t(round) % held.size();  // 0 to 3 captures back
      a.write_every_page(500 + round);
      b.write_every_page(700 + round);
      REQUIRE(restore(*a.inst, held[k].a).ok());
      CHECK_MESSAGE(a.hash() == held[k].hash_a, "round " << round);
      REQUIRE(restore(*b.inst, held[k].b).ok());
      CHECK_MESSAGE(b.hash() == held[k].hash_b, "round " << round);
    }
  }
  BigMemory c(module);
  auto file = decode_snapshot(encode_snapshot(held.back().a));
  REQUIRE(file.ok());
  REQUIRE(restore(*c.inst, *file).ok());
  CHECK(c.hash() == held.back().hash_a);
  bool kernel = detail::DirtyPages::of(*a.inst->memory()) != nullptr;
  MESSAGE("written pages found by " << (kernel ? "the kernel" : "comparison"));
  CHECK((kernel_tracking || !kernel));
  detail::DirtyPages::allow_kernel_tracking(true);
}

TEST_CASE("every page written between captures (the kernel's write tracking if present)") {
  every_page_written(true);
}

TEST_CASE("every page written between captures (comparing pages)") { every_page_written(false); }

// Every page written frame after frame leaves them all open, and refreshes then skip the scan
// (open pages read as written). When the game stops writing most of them, single writes
// anywhere must still be found, before and after the recheck that protects them again.
TEST_CASE("a memory written all over, then here and there: every write is still found") {
  auto module = test::load_test_module("snapshot_big.wasm");
  BigMemory a(module);
  Snapshot s;
  for (int32_t round = 1; round <= 6; round++) {
    a.write_every_page(round);
    REQUIRE(capture(*a.inst, s).ok());
  }
  std::mt19937 rng(5);
  Memory& m = *a.inst->memory();
  for (int round = 0; round < 80; round++) {
    m.data()[rng() % m.size()] ^= uint8_t(1 + rng() % 255);
    REQUIRE(capture(*a.inst, s).ok());
    uint64_t h = a.hash();
    for (int k = 0; k < 3; k++) m.data()[rng() % m.size()] ^= uint8_t(1 + rng() % 255);
    REQUIRE(restore(*a.inst, s).ok());
    CHECK_MESSAGE(a.hash() == h, "round " << round);
  }
}

// The copies of 2 MiB or more are shared with the helper thread (compile/helper_thread.h); the
// same run with the caller copying alone must give the same snapshots.
TEST_CASE("every page written between captures (big copies on the calling thread alone)") {
  detail::helper_thread_allow_sharing(false);
  every_page_written(true);
  detail::helper_thread_allow_sharing(true);
}

// A memory's first capture copies the pages that are not zeros (looked at as they are copied,
// among those the kernel says were ever written) while the caller starts the write tracking:
// pages never touched, only read, or written with zeros are null in the snapshot, the rest
// exact, and writes after it are found by the next capture.
static void first_capture(bool kernel_tracking, bool sharing) {
  detail::DirtyPages::allow_kernel_tracking(kernel_tracking);
  detail::helper_thread_allow_sharing(sharing);
  auto module = test::load_test_module("snapshot_big.wasm");
  BigMemory a(module);
  Memory& m = *a.inst->memory();
  constexpr size_t kPage = kSnapshotPageSize;
  size_t pages = m.size() / kPage;
  REQUIRE(pages == 768);
  auto kind = [](size_t p) {  // 0 never touched, 1 only read, 2 zeros written, 3 data
    if (p >= 600 && p < 700) return 0;
    if (p >= 700) return p == 750 ? 3 : 1;
    return p % 7 == 3 ? 2 : 3;
  };
  uint64_t sum = 0;
  for (size_t p = 0; p < pages; p++) {
    uint8_t* page = m.data() + p * kPage;
    if (kind(p) == 1) sum += page[p % kPage];
    if (kind(p) == 2) std::memset(page, 0, kPage);
    if (kind(p) == 3) page[(p * 13) % kPage] = uint8_t(1 + p % 255);
  }
  CHECK(sum == 0);
  uint64_t h = a.hash();
  Snapshot s;
  REQUIRE(capture(*a.inst, s).ok());
  REQUIRE(s.memories.size() == 1);
  const MemoryState& state = s.memories[0];
  REQUIRE(state.pages.size() == pages);
  for (size_t p = 0; p < pages; p++)
    CHECK_MESSAGE((state.pages[p] != nullptr) == (kind(p) == 3), "page " << p);
  std::vector<uint8_t> bytes = state.bytes();
  CHECK(XXH3_64bits(bytes.data(), bytes.size()) == h);
  // Written after the first capture: the next capture has them, a restore undoes them.
  for (size_t p : {size_t(5), size_t(10), size_t(610), size_t(720), size_t(750)})
    m.data()[p * kPage + 100] ^= 0x5a;
  uint64_t h2 = a.hash();
  Snapshot s2;
  REQUIRE(capture(*a.inst, s2).ok());
  REQUIRE(restore(*a.inst, s).ok());
  CHECK(a.hash() == h);
  REQUIRE(restore(*a.inst, s2).ok());
  CHECK(a.hash() == h2);
  detail::helper_thread_allow_sharing(true);
  detail::DirtyPages::allow_kernel_tracking(true);
}

TEST_CASE("a memory's first capture: pages of zeros are null, the rest exact, tracking starts") {
  first_capture(true, true);
  first_capture(true, false);
  first_capture(false, true);
}

// The ring against full captures taken at each frame, with both ways of finding written pages.
static void ring_matches_captures(bool kernel_tracking) {
  Game g;
  RingConfig config;
  config.kernel_tracking = kernel_tracking;
  config.max_frames = 30;
  SnapshotRing ring(*g.inst, config);
  CHECK(std::string(ring.tracking()) == "none yet");
  std::vector<uint64_t> hashes(61);
  for (uint64_t f = 0; f <= 60; f++) {
    if (f > 0) g.step(int32_t(f));
    if (f == 20) REQUIRE(g.inst->call<int32_t>("grow", 2).ok());  // pages appear
    if (f == 25) REQUIRE(g.inst->call<void>("setup").ok());
    hashes[f] = g.hash();
    REQUIRE(ring.push(f, {uint8_t(f)}).ok());
  }
  MESSAGE("written pages found by " << std::string(ring.tracking()));
  if (!kernel_tracking) CHECK(std::string(ring.tracking()) == "page comparison");
  CHECK(ring.frames() == 30);  // the oldest were dropped
  CHECK(ring.first_frame() == 31);
  CHECK_FALSE(ring.holds(30));
  std::mt19937 rng(7);
  for (int i = 0; i < 40; i++) {  // scrub back and forth
    uint64_t f = 31 + rng() % 30;
    REQUIRE(ring.restore(f).ok());
    CHECK_MESSAGE(g.hash() == hashes[f], "frame " << f);
    CHECK((*ring.extra(f))[0] == uint8_t(f));
    if (i % 5 == 0) g.step(999);  // stray writes: the next restore undoes them too
  }
  // Resume from frame 40: the timeline branches there.
  REQUIRE(ring.restore(40).ok());
  for (uint64_t f = 41; f <= 45; f++) {
    g.step(int32_t(1000 + f));
    hashes[f] = g.hash();
    REQUIRE(ring.push(f).ok());
  }
  CHECK(ring.last_frame() == 45);
  CHECK_FALSE(ring.push(45).ok());  // not after the frame it is at
  for (uint64_t f : {31u, 45u, 36u, 41u}) {
    REQUIRE(ring.restore(f).ok());
    CHECK_MESSAGE(g.hash() == hashes[f], "frame " << f);
  }
  Snapshot s;  // a held frame as a standalone snapshot
  REQUIRE(ring.snapshot(43, s).ok());
  Game other;
  REQUIRE(restore(*other.inst, s).ok());
  CHECK(other.hash() == hashes[43]);
}

TEST_CASE("the ring restores any held frame exactly (the kernel's write tracking if present)") {
  ring_matches_captures(true);
}

TEST_CASE("the ring restores any held frame exactly (comparing pages)") {
  ring_matches_captures(false);
}

// A held frame as a snapshot stays exact after the ring dropped the frame and is gone, and
// after the instance's further writes.
// Pages written frame after frame are left unprotected (DirtyPages::keep_hot_pages_open), so
// they take no write fault per frame. Every refresh must still name every page written since
// the one before, whatever the pattern: pages written every frame, then no more, now and then,
// at random, by the kernel (a read() into the memory) and by a restore of the ring; checked
// against a copy of the memory taken at each refresh.
TEST_CASE("pages left open while written frame after frame: every written page is still found") {
  Game g;
  Memory& m = g.memory();
  detail::DirtyPages* d = detail::DirtyPages::of(m);
  if (!d) {
    MESSAGE("the kernel cannot track writes here: nothing to test");
    return;
  }
  SnapshotRing ring(*g.inst);  // a second user of the same tracking, restoring now and then
  REQUIRE(ring.push(0).ok());
  const size_t page = detail::kSnapshotPage, pages = m.size() / page;
  REQUIRE(pages > 8);
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  std::vector<uint8_t> before(m.data(), m.data() + m.size());
  uint64_t seen = d->generation();
  std::mt19937 rng(21);
  int hot_open = 0, cold_open_late = 0;
  for (uint64_t frame = 1; frame <= 200; frame++) {
    auto poke = [&](size_t p, size_t at) { m.data()[p * page + at % page] += 1; };
    poke(1, frame);  // every frame
    poke(2, 7 * frame);
    if (frame < 50) poke(3, 0);  // every frame, then never again
    if (frame % 3 == 0) poke(4, 100);
    poke(5 + rng() % (pages - 5), rng());
    if (frame % 7 == 0) {  // the kernel writes into linear memory: an open page or another
      uint8_t bytes[16];
      std::memset(bytes, int(frame), sizeof bytes);
      REQUIRE(write(fds[1], bytes, sizeof bytes) == 16);
      size_t p = frame % 14 == 0 ? 1 : 6 + rng() % (pages - 6);
      REQUIRE(read(fds[0], m.data() + p * page + 64, sizeof bytes) == 16);
    }
    if (frame % 10 == 0) g.step(int32_t(frame));                 // the game's own stores
    if (frame % 25 == 0) REQUIRE(ring.restore(frame - 3).ok());  // a restore writes pages too
    REQUIRE(ring.push(frame).ok());
    REQUIRE(d->refresh());
    std::vector<uint32_t> changed;
    d->changed_since(seen, changed);
    seen = d->generation();
    for (size_t p = 0; p < pages; p++)
      if (std::memcmp(before.data() + p * page, m.data() + p * page, page))
        CHECK_MESSAGE(std::binary_search(changed.begin(), changed.end(), uint32_t(p)),
                      "frame " << frame << ": page " << p << " changed but was not found");
    std::memcpy(before.data(), m.data(), m.size());
    hot_open += d->is_open(1);
    cold_open_late += frame > 120 && d->is_open(3);
  }
  close(fds[0]);
  close(fds[1]);
  CHECK(hot_open > 150);       // open but at the rechecks (and after restores)
  CHECK(cold_open_late == 0);  // protected again at the first recheck after it went cold
}

// Pages of dropped snapshots wait in a pool for the next captures (single pages and 2 MiB
// blocks); released, they go back to the kernel, and captures go on exactly with new ones.
TEST_CASE("the pages of dropped snapshots are kept for the next captures, and released") {
  Game g;
  REQUIRE(g.inst->call<void>("setup").ok());
  {
    std::vector<Snapshot> held;
    for (int32_t i = 0; i < 20; i++) {
      g.step(i);
      held.push_back(take(g));
    }
  }
  CHECK(detail::kept_bytes() > 0);
  detail::release_kept_blocks();
  CHECK(detail::kept_bytes() == 0);
  for (int32_t i = 0; i < 5; i++) {
    g.step(100 + i);
    uint64_t h = g.hash();
    Snapshot s = take(g);
    g.step(200 + i);
    REQUIRE(restore(*g.inst, s).ok());
    CHECK(g.hash() == h);
  }
}

TEST_CASE("a ring frame's snapshot outlives the frame and the ring") {
  Game g;
  REQUIRE(g.inst->call<void>("setup").ok());
  std::vector<uint64_t> hashes;
  Snapshot s;
  {
    RingConfig config;
    config.max_frames = 5;
    SnapshotRing ring(*g.inst, config);
    for (uint64_t f = 0; f < 10; f++) {
      g.step(int32_t(f));
      hashes.push_back(g.hash());
      REQUIRE(ring.push(f).ok());
    }
    REQUIRE(ring.snapshot(7, s).ok());
    for (uint64_t f = 10; f < 20; f++) {  // frame 7 leaves the ring
      g.step(int32_t(f));
      REQUIRE(ring.push(f).ok());
    }
    CHECK_FALSE(ring.holds(7));
  }
  Game other;
  REQUIRE(restore(*other.inst, s).ok());
  CHECK(other.hash() == hashes[7]);
}

TEST_CASE("the ring stays within its byte budget") {
  Game g;
  RingConfig config;
  config.max_bytes = 200 << 10;  // the 64 KiB base plus about 30 changed pages
  SnapshotRing ring(*g.inst, config);
  for (uint64_t f = 0; f < 100; f++) {
    g.step(int32_t(f));
    REQUIRE(ring.push(f).ok());
    CHECK(ring.bytes_used() <= config.max_bytes);
  }
  CHECK(ring.frames() > 1);
  CHECK(ring.frames() < 100);
  CHECK(ring.last_frame() == 99);
}

// ---- paused calls ------------------------------------------------------------------------------

namespace {

// A breakpoint at the bottom of sum(8)'s recursion, nine frames deep.
struct PausedRun {
  Game g;
  uint32_t marker = 0;
  PausedRun() {
    auto bytes = test::test_wasm_bytes("snapshot.wasm");
    auto at = test::offset_of(bytes, {0x41, 0xb1, 0xea, 0x01});  // i32.const 30001
    auto taken = set_breakpoint(*g.module, uint32_t(at));
    REQUIRE(taken.ok());
    marker = *taken;
  }
  ~PausedRun() { clear_breakpoint(*g.module, marker); }
};

}  // namespace

TEST_CASE("a call paused in the debugger is saved, and resumed in a new store") {
  PausedRun run;
  Snapshot paused;
  size_t depth = 0;
  run.g.store.set_debug_handler([&](const DebugStop& s) {
    depth = s.frames.size();
    auto r = capture_paused(*run.g.inst, paused);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    return DebugAction::Abort;  // this process gives up on the call
  });
  CHECK_FALSE(run.g.inst->call<int32_t>("sum", 8).ok());
  CHECK(depth == 9);
  REQUIRE(paused.paused);
  CHECK(paused.paused->frames.size() == 9);
  auto file = encode_snapshot(paused);
  run.g.store.set_debug_handler({});

  Game fresh(run.g.module);  // another store: nothing of the first call is left
  auto s = decode_snapshot(file, fresh.module->content_hash());
  REQUIRE(s.ok());
  std::vector<DebugStop> stops;
  int steps = 3;
  fresh.store.set_debug_handler([&](const DebugStop& st) {
    stops.push_back(st);
    return steps-- > 0 ? DebugAction::StepInto : DebugAction::Continue;
  });
  auto result = resume_paused(*fresh.inst, *s);
  REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error().to_string()));
  REQUIRE(result->size() == 1);
  CHECK((*result)[0].as_i32() == 36);  // 8 + 7 + ... + 1, as the call would have returned
  REQUIRE(stops.size() >= 4);          // the resumed stop, then the steps
  CHECK(stops[0].reason == DebugStop::Reason::Pause);
  CHECK(stops[0].frames.size() == 9);
  CHECK(stops[0].frames[0].func_name == "sum");
  CHECK(stops[0].frames[0].locals[0].as_i32() == 0);
  CHECK(stops[0].frames[8].locals[0].as_i32() == 8);
  for (int i = 0; i <= 8; i++)  // the memory the levels wrote came back too
    CHECK(fresh.memory().load<int32_t>(256 + 4 * i) == i);
}

TEST_CASE("a damaged paused call is refused before anything runs") {
  PausedRun run;
  Snapshot paused;
  run.g.store.set_debug_handler([&](const DebugStop&) {
    REQUIRE(capture_paused(*run.g.inst, paused).ok());
    return DebugAction::Abort;
  });
  CHECK_FALSE(run.g.inst->call<int32_t>("sum", 4).ok());
  run.g.store.set_debug_handler({});
  auto refused = [&](auto&& damage, const char* words) {
    Snapshot s = paused;
    damage(*s.paused);
    Game fresh(run.g.module);
    auto r = resume_paused(*fresh.inst, s);
    REQUIRE_FALSE(r.ok());
    CHECK_MESSAGE(r.error().message.find(words) != std::string::npos, r.error().message);
  };
  refused([](PausedCall& p) { p.frames.back().code_index += 1; }, "is not an instruction");
  refused([](PausedCall& p) { p.frames[1].code_index = 0; }, "is not right after a call");
  refused([](PausedCall& p) { p.frames[2].fp = 1u << 30; }, "do not fit");
  refused([](PausedCall& p) { p.slots.push_back(0); }, "does not end with the innermost frame");
  refused([](PausedCall& p) { p.frames[1].func_index = 99; }, "is not defined");
  Snapshot none;
  Game fresh(run.g.module);
  CHECK_FALSE(capture_paused(*fresh.inst, none).ok());  // not at a stop
}

// Inside a try, the catch that takes a throw is found by the code position, which the paused
// call keeps. Inside a catch, a `rethrow` needs the exception the catch took (the Vm's, not in
// any slot): the paused call keeps it too, so both resume, in a new store, to the result of the
// call run through (before, the catch's rethrow threw nothing any catch knew: a trap).
TEST_CASE("a call paused inside a try or a catch resumes to the same result") {
  auto module = test::load_test_module("paused_exceptions.wasm");
  auto bytes = test::test_wasm_bytes("paused_exceptions.wasm");
  struct Case {
    const char* func;
    uint8_t marker;  // i32.const 30002 / 30003 where it pauses
    int32_t result;
    size_t caught;
  };
  for (const Case& c :
       {Case{"paused_in_try", 0xb2, 7 + 100 + 1, 0}, Case{"paused_in_catch", 0xb3, 7 + 1000, 1}}) {
    CAPTURE(c.func);
    Game plain(module);
    CHECK(*plain.inst->call<int32_t>(c.func, 7) == c.result);
    Game g(module);
    auto bp =
        set_breakpoint(*module, uint32_t(test::offset_of(bytes, {0x41, c.marker, 0xea, 0x01})));
    REQUIRE(bp.ok());
    Snapshot paused;
    g.store.set_debug_handler([&](const DebugStop&) {
      auto r = capture_paused(*g.inst, paused);
      REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
      return DebugAction::Abort;
    });
    CHECK_FALSE(g.inst->call<int32_t>(c.func, 7).ok());
    clear_breakpoint(*module, *bp);
    REQUIRE(paused.paused);
    CHECK(paused.paused->caught.size() == c.caught);
    auto file = encode_snapshot(paused);

    Game fresh(module);
    auto s = decode_snapshot(file, module->content_hash());
    REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().to_string()));
    fresh.store.set_debug_handler([](const DebugStop&) { return DebugAction::Continue; });
    auto result = resume_paused(*fresh.inst, *s);
    REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error().to_string()));
    CHECK((*result)[0].as_i32() == c.result);
    if (!c.caught) continue;
    // A damaged caught exception is refused before anything runs.
    auto refused = [&](auto&& damage, const char* words) {
      Snapshot d = *s;
      damage(d.paused->caught[0]);
      Game other(module);
      auto r = resume_paused(*other.inst, d);
      REQUIRE_FALSE(r.ok());
      CHECK_MESSAGE(r.error().message.find(words) != std::string::npos, r.error().message);
    };
    refused([](PausedCatch& k) { k.tag = 9; }, "which the module lacks");
    refused([](PausedCatch& k) { k.values.push_back(0); }, "value slots");
    refused([](PausedCatch& k) { k.frame = 5; }, "of a frame it does not have");
  }
}
