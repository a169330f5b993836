/* A plain C host of include/krjwt.h: builds a token and validates it, intact and altered, the way
 * a C caller would (misuse.c covers the misuse). Exits non-zero if any check failed. */
#include "check.h"

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
  CHECK(kr_result_get_token(result, &token) == KR_STATUS_OK);
  CHECK(token != NULL && strchr(token, '.') != NULL);
  CHECK(kr_validator_new_for_result(result, 60.0, &validator) == KR_STATUS_OK);
  CHECK(kr_validator_check(validator, token, strlen(token), &reason) == KR_STATUS_OK && reason == KR_REASON_VALID);

  /* One flipped character in the signature. */
  size_t len = strlen(token);
  token[len - 2] = token[len - 2] == 'A' ? 'B' : 'A';
  CHECK(kr_validator_check(validator, token, strlen(token), &reason) == KR_STATUS_OK && reason == KR_REASON_INVALID_SIGNATURE);
  CHECK(kr_validator_validate(validator, token, strlen(token), &report) == KR_STATUS_OK);
  CHECK(report != NULL && strstr(report, "\"reason\":\"InvalidSignature\"") != NULL);
  kr_string_free(report);
  kr_string_free(token);

  CHECK(kr_validator_free(validator) == KR_STATUS_OK);
  CHECK(kr_result_free(result) == KR_STATUS_OK);
  CHECK(kr_builder_free(builder) == KR_STATUS_OK);

  return check_summary("C ABI round trip");
}
