// argv and the environment as the runtime passes them, then an exit code chosen by argv[1]
// ("exit N" calls exit(N) after atexit handlers; "return N" returns it from main).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char** environ;

static void goodbye(void) { printf("atexit handler ran\n"); }

int main(int argc, char** argv) {
  atexit(goodbye);
  printf("argc %d\n", argc);
  for (int i = 0; i < argc; i++)
    printf("argv[%d] = [%s] (%zu bytes)\n", i, argv[i], strlen(argv[i]));
  int count = 0;
  for (char** e = environ; *e; e++) printf("env %d: [%s]\n", count++, *e);
  const char* greeting = getenv("GREETING");
  printf("getenv GREETING: %s\n", greeting ? greeting : "(unset)");
  printf("getenv NOT_SET: %s\n", getenv("NOT_SET") ? "set?" : "(unset)");
  if (argc >= 3 && strcmp(argv[1], "exit") == 0) {
    printf("calling exit(%d)\n", atoi(argv[2]));  // stdout is flushed by exit
    exit(atoi(argv[2]));
  }
  if (argc >= 3 && strcmp(argv[1], "return") == 0) return atoi(argv[2]);
  return 0;
}
