// Sorting 32-bit keys three ways: quicksort (median of three, insertion sort for short runs),
// bottom-up merge sort and heapsort (on half the keys). The size argument is thousands of keys.
// Stresses compares, unpredictable branches, swaps and array indexing.
#include "bench.h"

#define MAX_KEYS 1000000

static int32_t data[MAX_KEYS], work[MAX_KEYS], tmp[MAX_KEYS];

static void insertion_sort(int32_t* a, int lo, int hi) {
  for (int i = lo + 1; i <= hi; i++) {
    int32_t v = a[i];
    int j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

static void swap(int32_t* a, int i, int j) {
  int32_t t = a[i];
  a[i] = a[j];
  a[j] = t;
}

static void quick_sort(int32_t* a, int lo, int hi) {
  while (hi - lo > 16) {
    int mid = lo + (hi - lo) / 2;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    int32_t pivot = a[mid];
    int i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) swap(a, i++, j--);
    }
    // Recurse into the smaller half, loop on the larger: bounded stack depth.
    if (j - lo < hi - i) {
      quick_sort(a, lo, j);
      lo = i;
    } else {
      quick_sort(a, i, hi);
      hi = j;
    }
  }
  insertion_sort(a, lo, hi);
}

static void merge_sort(int32_t* a, int32_t* scratch, int n) {
  int32_t *src = a, *dst = scratch;
  for (int width = 1; width < n; width *= 2) {
    for (int lo = 0; lo < n; lo += 2 * width) {
      int mid = lo + width < n ? lo + width : n;
      int hi = lo + 2 * width < n ? lo + 2 * width : n;
      int i = lo, j = mid, k = lo;
      while (i < mid && j < hi) dst[k++] = src[i] <= src[j] ? src[i++] : src[j++];
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    int32_t* t = src;
    src = dst;
    dst = t;
  }
  if (src != a) memcpy(a, src, (size_t)n * sizeof *a);
}

static void sift_down(int32_t* a, int root, int n) {
  for (;;) {
    int child = 2 * root + 1;
    if (child >= n) return;
    if (child + 1 < n && a[child + 1] > a[child]) child++;
    if (a[root] >= a[child]) return;
    swap(a, root, child);
    root = child;
  }
}

static void heap_sort(int32_t* a, int n) {
  for (int i = n / 2 - 1; i >= 0; i--) sift_down(a, i, n);
  for (int end = n - 1; end > 0; end--) {
    swap(a, 0, end);
    sift_down(a, 0, end);
  }
}

// Order-sensitive digest; also proves the array is sorted.
static uint64_t digest(const int32_t* a, int n, uint64_t h) {
  uint64_t unsorted = 0;
  for (int i = 0; i < n; i++) {
    if (i > 0 && a[i - 1] > a[i]) unsorted++;
    if ((i & 255) == 0) h = bench_mix(h, (uint32_t)a[i]);
  }
  return bench_mix(h, unsorted);
}

static uint64_t run(int thousands) {
  int n = thousands * 1000;
  if (n > MAX_KEYS) n = MAX_KEYS;
  size_t bytes = (size_t)n * sizeof *data;
  uint32_t seed = 0xabcdef1u;
  for (int i = 0; i < n; i++) data[i] = (int32_t)(bench_rand(&seed) % 1000000u) - 500000;
  memcpy(work, data, bytes);
  quick_sort(work, 0, n - 1);
  uint64_t sum = digest(work, n, 0);
  memcpy(work, data, bytes);
  merge_sort(work, tmp, n);
  sum = digest(work, n, sum);
  memcpy(work, data, bytes);
  heap_sort(work, n / 2);
  sum = digest(work, n / 2, sum);
  return sum;
}

BENCH_MAIN(run, 300, 2)
