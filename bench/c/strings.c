// String processing on a generated 128 KiB text: split into words, count them in an
// open-addressing hash table, search for substrings, reverse and upper-case words, and format a
// report with our own integer-to-text routine. Stresses byte loads/stores, short loops, branches
// and libc's strlen/memcmp/memcpy.
#include "bench.h"

#define TEXT_SIZE (128 * 1024)
#define TABLE_SIZE 4096  // power of two, more than the number of distinct words

static char text[TEXT_SIZE + 1];
static char out[TEXT_SIZE * 2];

typedef struct {
  const char* word;  // points into text; NULL = empty slot
  uint32_t len, count;
} Entry;
static Entry table[TABLE_SIZE];

static void make_text(uint32_t* seed) {
  static const char* syllables[] = {"ka", "lo", "mi", "ne", "ru", "sta", "the", "ing",
                                    "qu", "or", "an", "ex", "zo", "pi",  "ve",  "tor"};
  static const char* gaps[] = {" ", " ", " ", ", ", ". ", "\n", " - "};
  size_t pos = 0;
  while (pos + 32 < TEXT_SIZE) {
    int n = 1 + (int)(bench_rand(seed) % 3);
    for (int i = 0; i < n; i++) {
      const char* s = syllables[bench_rand(seed) % 16];
      size_t len = strlen(s);
      memcpy(text + pos, s, len);
      if (i == 0 && bench_rand(seed) % 5 == 0) text[pos] = (char)(text[pos] - 'a' + 'A');
      pos += len;
    }
    const char* g = gaps[bench_rand(seed) % 7];
    memcpy(text + pos, g, strlen(g));
    pos += strlen(g);
  }
  text[pos] = 0;
}

static int is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

static uint32_t hash_word(const char* w, uint32_t len) {
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < len; i++) h = (h ^ (uint8_t)lower(w[i])) * 16777619u;
  return h;
}

static int same_word(const char* a, const char* b, uint32_t len) {
  for (uint32_t i = 0; i < len; i++)
    if (lower(a[i]) != lower(b[i])) return 0;
  return 1;
}

static uint32_t count_words(void) {
  memset(table, 0, sizeof table);
  uint32_t distinct = 0;
  const char* p = text;
  while (*p) {
    while (*p && !is_letter(*p)) p++;
    const char* w = p;
    while (is_letter(*p)) p++;
    uint32_t len = (uint32_t)(p - w);
    if (len == 0) break;
    uint32_t slot = hash_word(w, len) & (TABLE_SIZE - 1);
    while (table[slot].word && !(table[slot].len == len && same_word(table[slot].word, w, len)))
      slot = (slot + 1) & (TABLE_SIZE - 1);
    if (!table[slot].word) {
      table[slot] = (Entry){w, len, 0};
      distinct++;
    }
    table[slot].count++;
  }
  return distinct;
}

static uint32_t count_matches(const char* needle) {
  size_t n = strlen(needle);
  uint32_t hits = 0;
  for (const char* p = text; *p; p++)
    if (*p == needle[0] && memcmp(p, needle, n) == 0) hits++;
  return hits;
}

static char* put_uint(char* o, uint32_t v) {
  char digits[12];
  int n = 0;
  do {
    digits[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) *o++ = digits[--n];
  return o;
}

// One line per distinct word: the word reversed and upper-cased, then its count.
static size_t format_report(void) {
  char* o = out;
  for (int i = 0; i < TABLE_SIZE; i++) {
    const Entry* e = &table[i];
    if (!e->word) continue;
    for (uint32_t k = e->len; k-- > 0;) {
      char c = e->word[k];
      *o++ = c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
    }
    *o++ = ':';
    o = put_uint(o, e->count);
    *o++ = '\n';
  }
  *o = 0;
  return strlen(out);
}

static uint64_t run(int reps) {
  uint32_t seed = 0x5717u;
  make_text(&seed);

  uint64_t sum = 0;
  static const char* needles[] = {"the", "stator", "quing", "Kalo", ". Ex"};
  for (int r = 0; r < reps; r++) {
    text[(size_t)r * 4099 % (TEXT_SIZE - 64)] ^= 0x20;  // flip a letter's case
    sum = bench_mix(sum, count_words());
    for (int k = 0; k < 5; k++) sum = bench_mix(sum, count_matches(needles[k]));
    size_t len = format_report();
    sum = bench_mix(sum, len);
    sum = bench_mix(sum, hash_word(out, (uint32_t)len));
  }
  return sum;
}

BENCH_MAIN(run, 600, 1)
