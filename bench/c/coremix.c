// A CoreMark-like mix (our own code, not CoreMark): each iteration runs four kernels over small
// data that stays in cache and folds their results into a CRC-16:
//   - a linked list of 256 nodes: search, reverse, merge sort by value, restore by index;
//   - 24x24 int16 matrices: add/multiply by a constant, matrix-vector, matrix-matrix, bit fields;
//   - a switch-based state machine classifying numbers in a 2 KiB text;
//   - CRC-16 over everything (bit at a time).
// Stresses pointer chasing, small loops, switch dispatch, short-int arithmetic and branches.
#include "bench.h"

// ---- CRC-16 (CCITT, bit at a time) ----------------------------------------------------------
static uint16_t crc16_byte(uint8_t b, uint16_t crc) {
  crc ^= (uint16_t)b << 8;
  for (int k = 0; k < 8; k++) crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : crc << 1;
  return crc;
}
static uint16_t crc16_u32(uint32_t v, uint16_t crc) {
  for (int i = 0; i < 4; i++) crc = crc16_byte((uint8_t)(v >> (8 * i)), crc);
  return crc;
}

// ---- Linked list ------------------------------------------------------------------------------
#define LIST_NODES 256
typedef struct Node {
  struct Node* next;
  int16_t value;
  uint16_t index;
} Node;
static Node pool[LIST_NODES];

static Node* list_build(uint32_t* seed) {
  for (int i = 0; i < LIST_NODES; i++) {
    pool[i].index = (uint16_t)i;
    pool[i].value = (int16_t)(bench_rand(seed) & 0x7fff);
    pool[i].next = i + 1 < LIST_NODES ? &pool[i + 1] : NULL;
  }
  return &pool[0];
}

static Node* list_find(Node* n, int16_t value) {
  while (n && n->value != value) n = n->next;
  return n;
}

static Node* list_reverse(Node* n) {
  Node* prev = NULL;
  while (n) {
    Node* next = n->next;
    n->next = prev;
    prev = n;
    n = next;
  }
  return prev;
}

static int by_value(const Node* a, const Node* b) { return a->value - b->value; }
static int by_index(const Node* a, const Node* b) { return (int)a->index - (int)b->index; }

// Iterative merge sort of a singly linked list (stable), comparing through a function pointer.
static Node* list_sort(Node* list, int (*cmp)(const Node*, const Node*)) {
  for (int width = 1;; width *= 2) {
    Node *p = list, *tail = NULL;
    list = NULL;
    int merges = 0;
    while (p) {
      merges++;
      Node* q = p;
      int psize = 0;
      for (int i = 0; i < width && q; i++, psize++) q = q->next;
      int qsize = width;
      while (psize > 0 || (qsize > 0 && q)) {
        Node* e;
        if (psize == 0) {
          e = q, q = q->next, qsize--;
        } else if (qsize == 0 || !q || cmp(p, q) <= 0) {
          e = p, p = p->next, psize--;
        } else {
          e = q, q = q->next, qsize--;
        }
        if (tail)
          tail->next = e;
        else
          list = e;
        tail = e;
      }
      p = q;
    }
    tail->next = NULL;
    if (merges <= 1) return list;
  }
}

static uint16_t list_kernel(Node* list, int iter, uint16_t crc) {
  for (int i = 0; i < 16; i++) {
    Node* hit = list_find(list, (int16_t)pool[(iter * 7 + i * 13) % LIST_NODES].value);
    crc = crc16_u32(hit ? hit->index : 0xffff, crc);
  }
  list = list_reverse(list);
  list = list_sort(list, by_value);
  for (Node* n = list; n; n = n->next) crc = crc16_u32((uint32_t)n->value ^ n->index, crc);
  list = list_sort(list, by_index);
  crc = crc16_u32(list->index, crc);
  // Mutate a value so the next iteration sorts different data.
  pool[iter % LIST_NODES].value ^= (int16_t)(iter & 0x3ff);
  return crc;
}

// ---- Matrix -----------------------------------------------------------------------------------
#define MAT 24
static int16_t ma[MAT][MAT], mb[MAT][MAT];
static int32_t mc[MAT][MAT], vec[MAT];

static uint16_t matrix_kernel(int16_t k, uint16_t crc) {
  for (int i = 0; i < MAT; i++)
    for (int j = 0; j < MAT; j++) ma[i][j] = (int16_t)(ma[i][j] + k);
  for (int i = 0; i < MAT; i++) {
    int32_t s = 0;
    for (int j = 0; j < MAT; j++) s += ma[i][j] * mb[j][i];
    vec[i] = s;
  }
  int32_t acc = 0;
  for (int i = 0; i < MAT; i++)
    for (int j = 0; j < MAT; j++) {
      int32_t s = 0;
      for (int x = 0; x < MAT; x++) s += ma[i][x] * mb[x][j];
      mc[i][j] = s;
      acc += (s >> 2) & 0xf;  // bit-field extraction as CoreMark does
    }
  for (int i = 0; i < MAT; i++) acc += vec[i] * k;
  for (int i = 0; i < MAT; i++)
    for (int j = 0; j < MAT; j++) ma[i][j] = (int16_t)(ma[i][j] - k);  // restore
  return crc16_u32((uint32_t)acc ^ (uint32_t)mc[k & 15][MAT - 1], crc);
}

// ---- State machine ----------------------------------------------------------------------------
enum State { START, INT, FRAC, EXP_SIGN, EXP, INVALID, NSTATES };
#define TEXT_LEN 2048
static char text[TEXT_LEN];

static void text_build(uint32_t* seed) {
  static const char* pieces[] = {"123", "-7", "3.25", "+1e9", "6.02e-23", "x1", "5.", "..", "0"};
  size_t pos = 0;
  while (pos + 12 < TEXT_LEN) {
    const char* p = pieces[bench_rand(seed) % 9];
    size_t n = strlen(p);
    memcpy(text + pos, p, n);
    pos += n;
    text[pos++] = ',';
  }
  text[pos] = 0;
}

static uint16_t state_kernel(int iter, uint16_t crc) {
  uint32_t final_counts[NSTATES] = {0}, transitions = 0;
  enum State s = START;
  for (const char* p = text;; p++) {
    char c = *p;
    if (c == ',' || c == 0) {
      final_counts[s]++;
      s = START;
      if (c == 0) break;
      continue;
    }
    enum State next = s;
    switch (s) {
      case START:
        next = (c >= '0' && c <= '9') || c == '+' || c == '-' ? INT : c == '.' ? FRAC : INVALID;
        break;
      case INT:
        next = (c >= '0' && c <= '9')   ? INT
               : c == '.'               ? FRAC
               : (c == 'e' || c == 'E') ? EXP_SIGN
                                        : INVALID;
        break;
      case FRAC:
        next = (c >= '0' && c <= '9') ? FRAC : (c == 'e' || c == 'E') ? EXP_SIGN : INVALID;
        break;
      case EXP_SIGN:
        next = (c >= '0' && c <= '9') || c == '+' || c == '-' ? EXP : INVALID;
        break;
      case EXP:
        next = (c >= '0' && c <= '9') ? EXP : INVALID;
        break;
      default:
        break;
    }
    transitions += next != s;
    s = next;
  }
  // Corrupt one character per iteration (and restore it next time) to vary the input.
  size_t at = (size_t)(iter * 31) % (TEXT_LEN - 16);
  if (text[at] != ',' && text[at] != 0) text[at] ^= 1;
  for (int i = 0; i < NSTATES; i++) crc = crc16_u32(final_counts[i], crc);
  return crc16_u32(transitions, crc);
}

static uint64_t run(int iters) {
  uint32_t seed = 0x5eed;
  Node* list = list_build(&seed);
  for (int i = 0; i < MAT; i++)
    for (int j = 0; j < MAT; j++) {
      ma[i][j] = (int16_t)(bench_rand(&seed) % 200) - 100;
      mb[i][j] = (int16_t)(bench_rand(&seed) % 200) - 100;
    }
  text_build(&seed);

  uint16_t crc = 0;
  uint64_t sum = 0;
  for (int it = 0; it < iters; it++) {
    crc = list_kernel(list, it, crc);
    list = &pool[0];  // sorted by index again: pool[0] is the head
    crc = matrix_kernel((int16_t)(it & 0xff), crc);
    crc = state_kernel(it, crc);
    sum = bench_mix(sum, crc);
  }
  return sum;
}

BENCH_MAIN(run, 600, 3)
