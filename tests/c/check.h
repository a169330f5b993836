/* Checks shared by the C test programs: a failed check is reported with the library's last error
 * and counted, and the program goes on; main ends with `return check_summary("...");`. */
#ifndef KRJWT_TEST_CHECK_H
#define KRJWT_TEST_CHECK_H

#include "krjwt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures = 0;

static inline void check_failed(const char *file, int line, const char *what) {
  char *message = kr_last_error_get_message();
  fprintf(stderr, "%s:%d: check failed: %s (last error %d: %s)\n", file, line, what, (int)kr_last_error_get_code(),
          message ? message : "none");
  kr_string_free(message);
  check_failures++;
}

#define CHECK(cond)                              \
  do {                                           \
    if (!(cond)) {                               \
      check_failed(__FILE__, __LINE__, #cond);   \
    }                                            \
  } while (0)

/* `got` is `expected`; a failure must also be this thread's last error, with a message. */
static inline void check_status_at(const char *file, int line, const char *what, KrStatus got, KrStatus expected) {
  char description[512];
  if (got != expected) {
    snprintf(description, sizeof description, "%s gave status %d, expected %d", what, (int)got, (int)expected);
    check_failed(file, line, description);
    return;
  }
  if (got == KR_STATUS_OK) {
    return;
  }
  char *message = kr_last_error_get_message();
  if (kr_last_error_get_code() != got || message == NULL || message[0] == '\0') {
    snprintf(description, sizeof description, "%s failed without setting its last error", what);
    check_failed(file, line, description);
  }
  kr_string_free(message);
}

#define CHECK_STATUS(call, expected) check_status_at(__FILE__, __LINE__, #call, (call), (expected))

static inline int last_error_mentions(const char *needle) {
  char *message = kr_last_error_get_message();
  int found = message != NULL && strstr(message, needle) != NULL;
  kr_string_free(message);
  return found;
}

static inline int check_summary(const char *program) {
  if (check_failures == 0) {
    printf("%s (krjwt %s): all checks passed\n", program, kr_version());
    return EXIT_SUCCESS;
  }
  fprintf(stderr, "%s: %d check(s) failed\n", program, check_failures);
  return EXIT_FAILURE;
}

#endif
