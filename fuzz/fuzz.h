/* Helpers shared by the libFuzzer targets. A target reports a finding by aborting: libFuzzer then
 * saves the input under fuzz/artifacts/. Besides crashes and sanitizer reports, a finding is any
 * status a call must not return for the input (a caught panic above all, which the library would
 * otherwise hide behind KR_STATUS_PANIC) and any failure without its last error. */
#ifndef KRJWT_FUZZ_H
#define KRJWT_FUZZ_H

#include "krjwt.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALLOW(status) (1u << (status))

static inline void fuzz_fail(const char *call, const char *what) {
  fprintf(stderr, "%s: %s\n", call, what);
  abort();
}

/* Aborts unless `status` is in the `allowed` set of ALLOW() bits; a failure must have set this
 * thread's last error to the same status, with a message. */
static inline void expect_status(const char *call, KrStatus status, unsigned allowed) {
  if (status == KR_STATUS_OK && (allowed & ALLOW(status))) {
    return;
  }
  char *message = kr_last_error_get_message();
  char what[1024];
  snprintf(what, sizeof what, "unexpected status %d (last error %d: %s)", (int)status, (int)kr_last_error_get_code(),
           message ? message : "none");
  int described = message != NULL && message[0] != '\0' && kr_last_error_get_code() == status;
  kr_string_free(message);
  if (!(allowed & ALLOW(status))) {
    fuzz_fail(call, what);
  }
  if (!described) {
    fuzz_fail(call, "failed without setting the last error");
  }
}

static inline void expect(const char *call, int condition, const char *what) {
  if (!condition) {
    fuzz_fail(call, what);
  }
}

/* The C ABI takes NUL-terminated strings: the input up to its first NUL, if any. */
static inline char *fuzz_string(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  if (text == NULL) {
    abort();
  }
  memcpy(text, data, size);
  text[size] = '\0';
  return text;
}

#endif
