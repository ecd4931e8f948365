// Reads all of stdin (lines with fgets, then the rest with fread) and prints counts, a checksum
// and the first lines upper-cased.
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  char line[256];
  unsigned lines = 0, words = 0, bytes = 0;
  uint32_t hash = 2166136261u;
  int in_word = 0;
  while (lines < 5 && fgets(line, sizeof line, stdin)) {
    lines++;
    for (char* p = line; *p; p++) *p = (char)toupper((unsigned char)*p);
    printf("%u: %s", lines, line);
    if (!strchr(line, '\n')) printf("\n");
    for (char* p = line; *p; p++) {
      bytes++;
      hash = (hash ^ (uint8_t)tolower((unsigned char)*p)) * 16777619u;
      if (isspace((unsigned char)*p))
        in_word = 0;
      else if (!in_word)
        in_word = 1, words++;
    }
  }
  char chunk[1000];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
    for (size_t i = 0; i < n; i++) {
      bytes++;
      hash = (hash ^ (uint8_t)chunk[i]) * 16777619u;
      if (chunk[i] == '\n') lines++;
      if (isspace((unsigned char)chunk[i]))
        in_word = 0;
      else if (!in_word)
        in_word = 1, words++;
    }
  printf("lines %u, words %u, bytes %u, fnv %08x, eof %d\n", lines, words, bytes, hash,
         feof(stdin));
  return 0;
}
