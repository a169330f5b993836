/* Fuzz target: key import. The first input byte chooses what the rest is:
 *   '0'..'6'  key material for kr_key_import in KrKeyFormat 0..6 (SECRET, BASE64URL, HEX,
 *             PASSPHRASE, JWK, PEM, DER); any other byte gives an out-of-range format;
 *   'S'       a JWK Set document, given to kr_validator_new as its "jwks" option.
 * An imported key must describe itself, and its public JWK must import again to the same key. */
#include "fuzz.h"

static const unsigned IMPORT_REFUSALS = ALLOW(KR_STATUS_INVALID_ARGUMENT) | ALLOW(KR_STATUS_INVALID_KEY) |
                                        ALLOW(KR_STATUS_INVALID_JSON);

static char *thumbprint_of(const KrKey *key) {
  char *thumbprint = NULL;
  expect_status("kr_key_get_thumbprint", kr_key_get_thumbprint(key, &thumbprint), ALLOW(KR_STATUS_OK));
  return thumbprint;
}

/* Publishing must work for exactly the keys that have a public part, and round-trip. */
static void check_public_jwk(const KrKey *key, const char *thumbprint) {
  char *jwk = NULL;
  KrStatus status = kr_key_export_public_jwk(key, &jwk);
  expect_status("kr_key_export_public_jwk", status, ALLOW(KR_STATUS_OK) | ALLOW(KR_STATUS_INVALID_KEY));
  char *jwks = NULL;
  expect("kr_jwks_export", kr_jwks_export(&key, 1, &jwks) == status, "differs from kr_key_export_public_jwk");
  kr_string_free(jwks);
  if (status != KR_STATUS_OK) {
    return;
  }
  KrKey *again = NULL;
  expect_status("kr_key_import(public JWK)", kr_key_import(KR_KEY_FORMAT_JWK, (const uint8_t *)jwk, strlen(jwk), &again),
                ALLOW(KR_STATUS_OK));
  char *again_thumbprint = thumbprint_of(again);
  char *jwk_thumbprint = NULL;
  expect_status("kr_jwk_compute_thumbprint", kr_jwk_compute_thumbprint(jwk, &jwk_thumbprint), ALLOW(KR_STATUS_OK));
  expect("public JWK", strcmp(again_thumbprint, thumbprint) == 0 && strcmp(jwk_thumbprint, thumbprint) == 0,
         "the public JWK has another thumbprint than its key");
  kr_string_free(jwk_thumbprint);
  kr_string_free(again_thumbprint);
  kr_key_free(again);
  kr_string_free(jwk);
}

static void import(int format, const uint8_t *data, size_t size) {
  KrKey *key = NULL;
  KrStatus status = kr_key_import(format, data, size, &key);
  unsigned allowed = format >= KR_KEY_FORMAT_SECRET && format <= KR_KEY_FORMAT_DER
                         ? ALLOW(KR_STATUS_OK) | IMPORT_REFUSALS
                         : ALLOW(KR_STATUS_INVALID_ARGUMENT);
  expect_status("kr_key_import", status, allowed);
  if (format == KR_KEY_FORMAT_JWK) {
    char *text = fuzz_string(data, size);
    char *thumbprint = NULL;
    expect_status("kr_jwk_compute_thumbprint", kr_jwk_compute_thumbprint(text, &thumbprint), ALLOW(KR_STATUS_OK) | IMPORT_REFUSALS);
    kr_string_free(thumbprint);
    free(text);
  }
  if (status != KR_STATUS_OK) {
    return;
  }
  char *description = NULL;
  expect_status("kr_key_describe", kr_key_describe(key, &description), ALLOW(KR_STATUS_OK));
  kr_string_free(description);
  char *thumbprint = thumbprint_of(key);
  check_public_jwk(key, thumbprint);
  kr_string_free(thumbprint);
  expect_status("kr_key_free", kr_key_free(key), ALLOW(KR_STATUS_OK));
}

static void import_key_set(const uint8_t *data, size_t size) {
  static const char prefix[] = "{\"jwks\":";
  char *options = malloc(sizeof prefix + size + 1);
  expect("import_key_set", options != NULL, "out of memory");
  memcpy(options, prefix, sizeof prefix - 1);
  memcpy(options + sizeof prefix - 1, data, size);
  strcpy(options + sizeof prefix - 1 + size, "}");
  KrValidator *validator = NULL;
  KrStatus status = kr_validator_new(options, NULL, 0, NULL, 0, &validator);
  expect_status("kr_validator_new", status, ALLOW(KR_STATUS_OK) | IMPORT_REFUSALS);
  if (status == KR_STATUS_OK) {
    char *description = NULL;
    expect_status("kr_validator_describe", kr_validator_describe(validator, &description), ALLOW(KR_STATUS_OK));
    kr_string_free(description);
    kr_validator_free(validator);
  }
  free(options);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) {
    return 0;
  }
  if (data[0] == 'S') {
    import_key_set(data + 1, size - 1);
  } else {
    import(data[0] - '0', data + 1, size - 1);
  }
  return 0;
}
