/* Fuzz target: token validation, with two validators: the HMAC key of keys.h (which also opens
 * nested JWTs encrypted to its recipients), and a JWK Set of its asymmetric keys selected by kid.
 * Each input is used three ways:
 * - as a token, checked by both validators;
 * - as a payload, signed with the HMAC key: claim checks are reachable only past a good signature;
 * - as the plaintext of a JWE encrypted to a recipient, so that the signed token inside a nested
 *   JWT is fuzzed past decryption.
 * kr_validator_check and kr_validator_validate must always agree, a valid token's report must
 * hold its header and claims, and a token the harness signed or encrypted must never fail on its
 * signature or decryption. */
#include "keys.h"

static KrKey *hmac_key;
static KrKey *recipient_key; /* encrypts the nested-JWT plaintexts */
static KrValidator *hmac_validator;
static KrValidator *key_set_validator;

static void must(const char *call, KrStatus status) {
  expect_status(call, status, ALLOW(KR_STATUS_OK));
}

/* Validation options requiring the seed tokens' issuer and audience and accepting the algorithms
 * of `signers`, with the JWK Set document `jwks` if not NULL. */
static char *options(const struct fuzz_signer *signers, size_t count, const char *jwks) {
  char algorithms[256] = "";
  for (size_t i = 0; i < count; i++) {
    for (const char *const *alg = signers[i].algorithms; *alg; alg++) {
      size_t used = strlen(algorithms);
      snprintf(algorithms + used, sizeof algorithms - used, "%s\"%s\"", used ? "," : "", *alg);
    }
  }
  static const char format[] = "{\"issuers\":[\"" FUZZ_ISSUER "\"],\"audiences\":[\"" FUZZ_AUDIENCE
                               "\"],\"algorithms\":[%s]%s%s}";
  const char *member = jwks ? ",\"jwks\":" : "";
  jwks = jwks ? jwks : "";
  size_t size = sizeof format + strlen(algorithms) + strlen(member) + strlen(jwks);
  char *text = malloc(size);
  expect("options", text != NULL, "out of memory");
  snprintf(text, size, format, algorithms, member, jwks);
  return text;
}

static KrValidator *hmac(void) {
  KrKey *decryption_keys[FUZZ_COUNT(FUZZ_RECIPIENTS)];
  size_t count = 0;
  for (size_t i = 0; i < FUZZ_COUNT(FUZZ_RECIPIENTS); i++) {
    /* Options pin every decryption key to the same pair: only keys taking any pair go in. */
    if (FUZZ_RECIPIENTS[i].alg == NULL) {
      decryption_keys[count++] = import_key(&FUZZ_RECIPIENTS[i].key);
    }
  }
  char *text = options(FUZZ_SIGNERS, 1, NULL);
  KrValidator *validator = NULL;
  must("kr_validator_new", kr_validator_new(text, (const KrKey *const *)&hmac_key, 1,
                                            (const KrKey *const *)decryption_keys, count, &validator));
  free(text);
  recipient_key = decryption_keys[0];
  for (size_t i = 1; i < count; i++) {
    must("kr_key_free", kr_key_free(decryption_keys[i]));
  }
  return validator;
}

static KrValidator *key_set(void) {
  const struct fuzz_signer *signers = FUZZ_SIGNERS + 1; /* all but the HMAC key */
  size_t count = FUZZ_COUNT(FUZZ_SIGNERS) - 1;
  KrKey *keys[FUZZ_COUNT(FUZZ_SIGNERS)];
  for (size_t i = 0; i < count; i++) {
    keys[i] = import_key(&signers[i].key);
  }
  char *jwks = NULL;
  must("kr_jwks_export", kr_jwks_export((const KrKey *const *)keys, count, &jwks));
  char *text = options(signers, count, jwks);
  KrValidator *validator = NULL;
  must("kr_validator_new", kr_validator_new(text, NULL, 0, NULL, 0, &validator));
  free(text);
  kr_string_free(jwks);
  for (size_t i = 0; i < count; i++) {
    must("kr_key_free", kr_key_free(keys[i]));
  }
  return validator;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  hmac_key = import_key(&FUZZ_SIGNERS[0].key);
  hmac_validator = hmac();
  key_set_validator = key_set();
  return 0;
}

/* The report of a valid token, {"valid":true,...,"header":{..},"claims":{..}}, has both objects.
 * The first `,"header":` is the report's own: the members before it cannot contain one. */
static int holds_header_and_claims(const char *report) {
  static const char header[] = ",\"header\":", no_claims[] = ",\"claims\":null}";
  const char *found = strstr(report, header);
  size_t length = strlen(report), suffix = sizeof no_claims - 1;
  return found != NULL && strncmp(found + sizeof header - 1, "null", 4) != 0 &&
         (length < suffix || strcmp(report + length - suffix, no_claims) != 0);
}

/* Validates the `length` bytes of `token` (NULs included: tokens carry their length) both ways and
 * returns the reason they agree on. Any bytes are a reason, never a failed call. */
static int validate(const KrValidator *validator, const char *token, size_t length) {
  enum KrReason reason = KR_REASON_VALID;
  expect_status("kr_validator_check", kr_validator_check(validator, token, length, &reason), ALLOW(KR_STATUS_OK));
  char *report = NULL;
  expect_status("kr_validator_validate", kr_validator_validate(validator, token, length, &report), ALLOW(KR_STATUS_OK));
  expect("kr_validator_check", memchr(token, '\0', length) == NULL || reason != KR_REASON_VALID,
         "a token holding a NUL was valid");
  const char *name = kr_reason_get_name((int32_t)reason);
  expect("kr_validator_check", name != NULL, "reason out of range");
  char expected[64];
  snprintf(expected, sizeof expected, "{\"valid\":%s,\"reason\":\"%s\",", reason == KR_REASON_VALID ? "true" : "false",
           name ? name : "?");
  expect("kr_validator_validate", strncmp(report, expected, strlen(expected)) == 0,
         "report disagrees with kr_validator_check");
  expect("kr_validator_validate", reason != KR_REASON_VALID || holds_header_and_claims(report),
         "a valid token reported without its header or claims");
  kr_string_free(report);
  return (int)reason;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  validate(hmac_validator, (const char *)data, size);
  validate(key_set_validator, (const char *)data, size);

  char *signed_token = NULL;
  must("kr_jws_sign", kr_jws_sign(hmac_key, "HS256", NULL, data, size, &signed_token));
  int reason = validate(hmac_validator, signed_token, strlen(signed_token));
  expect("signed payload", reason != KR_REASON_ALGORITHM_NOT_ALLOWED && reason != KR_REASON_INVALID_SIGNATURE &&
                               reason != KR_REASON_KEY_NOT_FOUND && reason != KR_REASON_UNSUPPORTED_CRITICAL,
         "a token signed with the validator's own key failed before its claims");
  kr_string_free(signed_token);

  char *nested = NULL;
  must("kr_jwe_encrypt", kr_jwe_encrypt(recipient_key, NULL, NULL, "{\"cty\":\"JWT\"}", data, size, &nested));
  expect("nested plaintext", validate(hmac_validator, nested, strlen(nested)) != KR_REASON_DECRYPTION_FAILED,
         "a JWE encrypted to the validator's own key did not decrypt");
  kr_string_free(nested);
  return 0;
}
