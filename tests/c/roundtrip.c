/* A plain C host of include/krjwt.h: builds, validates and mis-uses handles the way a C caller
 * could. Exits non-zero on the first unexpected result. */
#include "krjwt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond)                                                                  \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      char *msg = kr_last_error_message();                                           \
      fprintf(stderr, "%s:%d: check failed: %s (last error: %s)\n", __FILE__,        \
              __LINE__, #cond, msg ? msg : "none");                                   \
      kr_string_free(msg);                                                           \
      failures++;                                                                    \
    }                                                                                \
  } while (0)

static int last_error_mentions(const char *needle) {
  char *msg = kr_last_error_message();
  int found = msg != NULL && strstr(msg, needle) != NULL;
  kr_string_free(msg);
  return found;
}

int main(void) {
  static const char hex[] = "a0b1c2d3e4f5061728394a5b6c7d8e9fa1b2c3d4e5f60718293a4b5c6d7e8f90";
  KrBuilder *builder = NULL;
  KrKey *key = NULL;
  KrResult *result = NULL;
  KrValidator *validator = NULL;
  char *token = NULL;
  char *report = NULL;
  enum KrReason reason = KR_REASON_MALFORMED;

  CHECK(kr_abi_version() == KRJWT_ABI_VERSION);
  CHECK(kr_builder_new(&builder) == KR_STATUS_OK);
  CHECK(kr_builder_set_issuer(builder, "c-host") == KR_STATUS_OK);
  CHECK(kr_builder_add_audience(builder, "c-clients") == KR_STATUS_OK);
  CHECK(kr_builder_set_subject(builder, "alice") == KR_STATUS_OK);
  CHECK(kr_builder_add_user_claim(builder, "Role", "admin") == KR_STATUS_OK);
  CHECK(kr_builder_add_claim_json(builder, "level", "3") == KR_STATUS_OK);
  CHECK(kr_builder_set_lifetime(builder, 600.0) == KR_STATUS_OK);
  CHECK(kr_key_import(KR_KEY_FORMAT_HEX, (const uint8_t *)hex, strlen(hex), &key) == KR_STATUS_OK);
  CHECK(kr_builder_sign(builder, key, "Auto") == KR_STATUS_OK);
  CHECK(kr_key_free(key) == KR_STATUS_OK);

  CHECK(kr_builder_build(builder, &result) == KR_STATUS_OK);
  CHECK(kr_result_token(result, &token) == KR_STATUS_OK);
  CHECK(token != NULL && strchr(token, '.') != NULL);
  CHECK(kr_validator_from_result(result, 60.0, &validator) == KR_STATUS_OK);
  CHECK(kr_validator_check(validator, token, &reason) == KR_STATUS_OK && reason == KR_REASON_VALID);

  /* One flipped character in the signature. */
  size_t len = strlen(token);
  token[len - 2] = token[len - 2] == 'A' ? 'B' : 'A';
  CHECK(kr_validator_check(validator, token, &reason) == KR_STATUS_OK && reason == KR_REASON_INVALID_SIGNATURE);
  CHECK(kr_validator_validate(validator, token, &report) == KR_STATUS_OK);
  CHECK(report != NULL && strstr(report, "\"reason\":\"InvalidSignature\"") != NULL);
  kr_string_free(report);
  kr_string_free(token);

  /* Misuse: every one is a status, never a crash. */
  CHECK(kr_builder_set_issuer(NULL, "x") == KR_STATUS_NULL_POINTER);
  CHECK(kr_builder_set_issuer((KrBuilder *)result, "x") == KR_STATUS_INVALID_HANDLE);
  CHECK(kr_builder_set_lifetime(builder, -1.0) == KR_STATUS_INVALID_ARGUMENT);
  CHECK(kr_last_error_code() == KR_STATUS_INVALID_ARGUMENT && last_error_mentions("positive"));
  CHECK(kr_builder_sign(builder, NULL, NULL) == KR_STATUS_NULL_POINTER);

  CHECK(kr_validator_free(validator) == KR_STATUS_OK);
  CHECK(kr_result_free(result) == KR_STATUS_OK);
  CHECK(kr_builder_free(builder) == KR_STATUS_OK);
  CHECK(kr_builder_free(builder) == KR_STATUS_INVALID_HANDLE);
  CHECK(kr_builder_build(builder, &result) == KR_STATUS_INVALID_HANDLE);

  if (failures == 0) {
    printf("C ABI round trip (krjwt %s): all checks passed\n", kr_version());
    return EXIT_SUCCESS;
  }
  fprintf(stderr, "%d check(s) failed\n", failures);
  return EXIT_FAILURE;
}
