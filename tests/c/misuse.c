/* Misuse of every exported function, the way a buggy C caller could: NULL, freed, wrong-type and
 * forged handles, NULL and invalid UTF-8 strings, tokens with a NUL inside, NULL output pointers, bad JSON, out-of-range
 * enum values and numbers, zero-length and NULL buffers. Each must give its documented status
 * (docs/c-abi.md) with a last error, never a crash; everything made is freed again so that leak
 * checkers (scripts/check-memory.sh) see a clean exit. */
#include "check.h"

#include <math.h>
#include <stdint.h>

/* The RFC 7515 A.3 P-256 key: it signs, and it encrypts to itself with ECDH-ES. */
static const char EC_JWK[] = "{\"kty\":\"EC\",\"crv\":\"P-256\","
                             "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
                             "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\","
                             "\"d\":\"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI\"}";
static const char SECRET_HEX[] = "a0b1c2d3e4f5061728394a5b6c7d8e9fa1b2c3d4e5f60718293a4b5c6d7e8f90";
static const char NOT_UTF8[] = "caf\xc3\x28";
static const uint8_t PAYLOAD[] = "payload";

/* Live objects the calls under test use besides the argument being misused. */
static struct {
  KrKey *key;
  KrBuilder *builder; /* signed with key; never changed */
  KrBuilder *scratch; /* a clone for the calls that change a builder */
  KrResult *result;
  KrValidator *validator;
  char *token; /* the result's token */
  char *jws;   /* PAYLOAD signed with key */
  char *jwe;   /* token encrypted to key: a nested JWT */
} live;

/* What a call may hand back; released after every call, whatever it returned. */
struct outs {
  char *text;
  KrBuilder *builder;
  KrResult *result;
  KrValidator *validator;
  uint8_t *bytes;
  size_t len;
  enum KrReason reason;
};

static void release(struct outs *o) {
  kr_string_free(o->text);
  kr_builder_free(o->builder);
  kr_result_free(o->result);
  kr_validator_free(o->validator);
  kr_bytes_free(o->bytes, o->len);
  memset(o, 0, sizeof *o);
}

/* NULL output pointers when `o` is NULL. */
#define OUT(field) (o ? &o->field : NULL)

enum kind { BUILDER, RESULT, VALIDATOR, KEY, KINDS };

/* One exported function with a handle argument: `h` is that handle, every other argument is
 * valid. `has_out`: it has output pointers (NULL ones must give KR_STATUS_NULL_POINTER). `frees`:
 * a free function (NULL is a no-op). Functions that change a builder only ever get bad handles. */
struct handle_call {
  const char *name;
  enum kind kind;
  KrStatus (*call)(void *h, struct outs *o);
  int has_out;
  int frees;
};

static KrStatus builder_clone(void *h, struct outs *o) { return kr_builder_clone(h, OUT(builder)); }
static KrStatus builder_free(void *h, struct outs *o) { (void)o; return kr_builder_free(h); }
static KrStatus builder_set_issuer(void *h, struct outs *o) { (void)o; return kr_builder_set_issuer(h, "misuse"); }
static KrStatus builder_add_audience(void *h, struct outs *o) { (void)o; return kr_builder_add_audience(h, "tests"); }
static KrStatus builder_set_subject(void *h, struct outs *o) { (void)o; return kr_builder_set_subject(h, "alice"); }
static KrStatus builder_add_claim(void *h, struct outs *o) { (void)o; return kr_builder_add_claim(h, "role", "admin"); }
static KrStatus builder_add_claim_json(void *h, struct outs *o) { (void)o; return kr_builder_add_claim_json(h, "level", "3"); }
static KrStatus builder_add_user_claim(void *h, struct outs *o) { (void)o; return kr_builder_add_user_claim(h, "Email", "a@example.com"); }
static KrStatus builder_set_header(void *h, struct outs *o) { (void)o; return kr_builder_set_header(h, "x-misuse", "true"); }
static KrStatus builder_set_lifetime(void *h, struct outs *o) { (void)o; return kr_builder_set_lifetime(h, 600.0); }
static KrStatus builder_set_not_before(void *h, struct outs *o) { (void)o; return kr_builder_set_not_before(h, 0); }
static KrStatus builder_set_not_before_offset(void *h, struct outs *o) { (void)o; return kr_builder_set_not_before_offset(h, 0.0); }
static KrStatus builder_sign(void *h, struct outs *o) { (void)o; return kr_builder_sign(h, live.key, NULL); }
static KrStatus builder_encrypt(void *h, struct outs *o) { (void)o; return kr_builder_encrypt(h, live.key, NULL, NULL); }
static KrStatus builder_describe(void *h, struct outs *o) { return kr_builder_describe(h, OUT(text)); }
static KrStatus builder_build(void *h, struct outs *o) { return kr_builder_build(h, OUT(result)); }
static KrStatus builder_public_jwk(void *h, struct outs *o) { return kr_builder_export_public_jwk(h, OUT(text)); }
static KrStatus builder_renew(void *h, struct outs *o) { return kr_builder_renew(h, live.token, strlen(live.token), 0.0, OUT(result)); }
static KrStatus result_free(void *h, struct outs *o) { (void)o; return kr_result_free(h); }
static KrStatus result_token(void *h, struct outs *o) { return kr_result_get_token(h, OUT(text)); }
static KrStatus result_describe(void *h, struct outs *o) { return kr_result_describe(h, OUT(text)); }
static KrStatus result_public_jwk(void *h, struct outs *o) { return kr_result_export_public_jwk(h, OUT(text)); }
static KrStatus validator_from_result(void *h, struct outs *o) { return kr_validator_new_for_result(h, 60.0, OUT(validator)); }
static KrStatus validator_free(void *h, struct outs *o) { (void)o; return kr_validator_free(h); }
static KrStatus validator_describe(void *h, struct outs *o) { return kr_validator_describe(h, OUT(text)); }
static KrStatus validator_check(void *h, struct outs *o) { return kr_validator_check(h, live.token, strlen(live.token), OUT(reason)); }
static KrStatus validator_validate(void *h, struct outs *o) { return kr_validator_validate(h, live.token, strlen(live.token), OUT(text)); }
static KrStatus validator_inspect(void *h, struct outs *o) { return kr_validator_inspect(h, live.token, strlen(live.token), OUT(text)); }
static KrStatus key_free(void *h, struct outs *o) { (void)o; return kr_key_free(h); }
static KrStatus key_describe(void *h, struct outs *o) { return kr_key_describe(h, OUT(text)); }
static KrStatus key_public_jwk(void *h, struct outs *o) { return kr_key_export_public_jwk(h, OUT(text)); }
static KrStatus key_thumbprint(void *h, struct outs *o) { return kr_key_get_thumbprint(h, OUT(text)); }
static KrStatus key_builder_sign(void *h, struct outs *o) { (void)o; return kr_builder_sign(live.scratch, h, NULL); }
static KrStatus key_builder_encrypt(void *h, struct outs *o) { (void)o; return kr_builder_encrypt(live.scratch, h, NULL, NULL); }
static KrStatus key_jws_sign(void *h, struct outs *o) { return kr_jws_sign(h, NULL, NULL, PAYLOAD, sizeof PAYLOAD, OUT(text)); }
static KrStatus key_jws_verify(void *h, struct outs *o) { return kr_jws_verify(h, NULL, live.jws, strlen(live.jws), OUT(reason), OUT(bytes), OUT(len), OUT(text)); }
static KrStatus key_jwe_encrypt(void *h, struct outs *o) { return kr_jwe_encrypt(h, NULL, NULL, NULL, PAYLOAD, sizeof PAYLOAD, OUT(text)); }
static KrStatus key_jwe_decrypt(void *h, struct outs *o) { return kr_jwe_decrypt(h, NULL, NULL, live.jwe, strlen(live.jwe), OUT(reason), OUT(bytes), OUT(len), OUT(text)); }
static KrStatus key_inspect_decrypt(void *h, struct outs *o) { return kr_token_inspect_with_key(h, NULL, NULL, live.jwe, strlen(live.jwe), OUT(text)); }
static KrStatus key_jwks(void *h, struct outs *o) {
  const KrKey *keys[] = {h};
  return kr_jwks_export(keys, 1, OUT(text));
}
static KrStatus key_validator_new(void *h, struct outs *o) {
  const KrKey *keys[] = {h};
  return kr_validator_new(NULL, keys, 1, NULL, 0, OUT(validator));
}
static KrStatus key_validator_new_decrypting(void *h, struct outs *o) {
  const KrKey *keys[] = {live.key}, *decryption_keys[] = {h};
  return kr_validator_new(NULL, keys, 1, decryption_keys, 1, OUT(validator));
}

#define CALL(kind, fn, has_out, frees) {#fn, kind, fn, has_out, frees}
static const struct handle_call HANDLE_CALLS[] = {
    CALL(BUILDER, builder_clone, 1, 0),
    CALL(BUILDER, builder_free, 0, 1),
    CALL(BUILDER, builder_set_issuer, 0, 0),
    CALL(BUILDER, builder_add_audience, 0, 0),
    CALL(BUILDER, builder_set_subject, 0, 0),
    CALL(BUILDER, builder_add_claim, 0, 0),
    CALL(BUILDER, builder_add_claim_json, 0, 0),
    CALL(BUILDER, builder_add_user_claim, 0, 0),
    CALL(BUILDER, builder_set_header, 0, 0),
    CALL(BUILDER, builder_set_lifetime, 0, 0),
    CALL(BUILDER, builder_set_not_before, 0, 0),
    CALL(BUILDER, builder_set_not_before_offset, 0, 0),
    CALL(BUILDER, builder_sign, 0, 0),
    CALL(BUILDER, builder_encrypt, 0, 0),
    CALL(BUILDER, builder_describe, 1, 0),
    CALL(BUILDER, builder_build, 1, 0),
    CALL(BUILDER, builder_public_jwk, 1, 0),
    CALL(BUILDER, builder_renew, 1, 0),
    CALL(RESULT, result_free, 0, 1),
    CALL(RESULT, result_token, 1, 0),
    CALL(RESULT, result_describe, 1, 0),
    CALL(RESULT, result_public_jwk, 1, 0),
    CALL(RESULT, validator_from_result, 1, 0),
    CALL(VALIDATOR, validator_free, 0, 1),
    CALL(VALIDATOR, validator_describe, 1, 0),
    CALL(VALIDATOR, validator_check, 1, 0),
    CALL(VALIDATOR, validator_validate, 1, 0),
    CALL(VALIDATOR, validator_inspect, 1, 0),
    CALL(KEY, key_free, 0, 1),
    CALL(KEY, key_describe, 1, 0),
    CALL(KEY, key_public_jwk, 1, 0),
    CALL(KEY, key_thumbprint, 1, 0),
    CALL(KEY, key_builder_sign, 0, 0),
    CALL(KEY, key_builder_encrypt, 0, 0),
    CALL(KEY, key_jws_sign, 1, 0),
    CALL(KEY, key_jws_verify, 1, 0),
    CALL(KEY, key_jwe_encrypt, 1, 0),
    CALL(KEY, key_jwe_decrypt, 1, 0),
    CALL(KEY, key_inspect_decrypt, 1, 0),
    CALL(KEY, key_jwks, 1, 0),
    CALL(KEY, key_validator_new, 1, 0),
    CALL(KEY, key_validator_new_decrypting, 1, 0),
};

static void check_call(const char *name, const char *how, KrStatus got, KrStatus expected) {
  char what[128];
  snprintf(what, sizeof what, "%s with %s", name, how);
  check_status_at(__FILE__, __LINE__, what, got, expected);
}

/* Every handle function, with a good handle, then NULL output pointers, then bad handles. */
static void check_handles(void) {
  void *valid[KINDS] = {live.builder, live.result, live.validator, live.key};
  /* A handle of each kind that was freed; for wrong types, a live handle of another kind. */
  KrBuilder *freed_builder = NULL;
  KrResult *freed_result = NULL;
  KrValidator *freed_validator = NULL;
  KrKey *freed_key = NULL;
  CHECK_STATUS(kr_builder_clone(live.builder, &freed_builder), KR_STATUS_OK);
  CHECK_STATUS(kr_builder_build(live.builder, &freed_result), KR_STATUS_OK);
  CHECK_STATUS(kr_validator_new_for_result(live.result, 60.0, &freed_validator), KR_STATUS_OK);
  CHECK_STATUS(kr_key_import(KR_KEY_FORMAT_JWK, (const uint8_t *)EC_JWK, strlen(EC_JWK), &freed_key), KR_STATUS_OK);
  CHECK_STATUS(kr_builder_free(freed_builder), KR_STATUS_OK);
  CHECK_STATUS(kr_result_free(freed_result), KR_STATUS_OK);
  CHECK_STATUS(kr_validator_free(freed_validator), KR_STATUS_OK);
  CHECK_STATUS(kr_key_free(freed_key), KR_STATUS_OK);
  void *freed[KINDS] = {freed_builder, freed_result, freed_validator, freed_key};
  void *wrong_type[KINDS] = {live.result, live.validator, live.key, live.builder};
  /* Never issued: small and huge numbers, and the address of real memory. */
  void *forged[] = {(void *)(uintptr_t)1, (void *)(uintptr_t)0xdeadbeef, (void *)UINTPTR_MAX, &check_failures};

  struct outs o = {0};
  for (size_t i = 0; i < sizeof HANDLE_CALLS / sizeof HANDLE_CALLS[0]; i++) {
    const struct handle_call *c = &HANDLE_CALLS[i];
    if (c->has_out) {
      check_call(c->name, "a live handle", c->call(valid[c->kind], &o), KR_STATUS_OK);
      release(&o);
      check_call(c->name, "NULL outputs", c->call(valid[c->kind], NULL), KR_STATUS_NULL_POINTER);
    }
    check_call(c->name, "a NULL handle", c->call(NULL, &o), c->frees ? KR_STATUS_OK : KR_STATUS_NULL_POINTER);
    release(&o);
    check_call(c->name, "a freed handle", c->call(freed[c->kind], &o), KR_STATUS_INVALID_HANDLE);
    release(&o);
    check_call(c->name, "a handle of another type", c->call(wrong_type[c->kind], &o), KR_STATUS_INVALID_HANDLE);
    release(&o);
    for (size_t f = 0; f < sizeof forged / sizeof forged[0]; f++) {
      check_call(c->name, "a forged handle", c->call(forged[f], &o), KR_STATUS_INVALID_HANDLE);
      release(&o);
    }
  }
}

/* One string argument of an exported function: NULL gives KR_STATUS_NULL_POINTER unless the
 * argument is optional (NULL meaning absent or Auto); invalid UTF-8 gives
 * KR_STATUS_INVALID_ARGUMENT. */
struct string_call {
  const char *name;
  KrStatus (*call)(const char *s, struct outs *o);
  int optional;
};

static KrStatus issuer(const char *s, struct outs *o) { (void)o; return kr_builder_set_issuer(live.scratch, s); }
static KrStatus audience(const char *s, struct outs *o) { (void)o; return kr_builder_add_audience(live.scratch, s); }
static KrStatus subject(const char *s, struct outs *o) { (void)o; return kr_builder_set_subject(live.scratch, s); }
static KrStatus claim_type(const char *s, struct outs *o) { (void)o; return kr_builder_add_claim(live.scratch, s, "v"); }
static KrStatus claim_value(const char *s, struct outs *o) { (void)o; return kr_builder_add_claim(live.scratch, "c", s); }
static KrStatus json_claim_type(const char *s, struct outs *o) { (void)o; return kr_builder_add_claim_json(live.scratch, s, "1"); }
static KrStatus json_claim_value(const char *s, struct outs *o) { (void)o; return kr_builder_add_claim_json(live.scratch, "c", s); }
static KrStatus user_claim(const char *s, struct outs *o) { (void)o; return kr_builder_add_user_claim(live.scratch, s, "v"); }
static KrStatus user_claim_value(const char *s, struct outs *o) { (void)o; return kr_builder_add_user_claim(live.scratch, "Role", s); }
static KrStatus header_name(const char *s, struct outs *o) { (void)o; return kr_builder_set_header(live.scratch, s, "1"); }
static KrStatus header_value(const char *s, struct outs *o) { (void)o; return kr_builder_set_header(live.scratch, "x-h", s); }
static KrStatus sign_alg(const char *s, struct outs *o) { (void)o; return kr_builder_sign(live.scratch, live.key, s); }
static KrStatus encrypt_key_alg(const char *s, struct outs *o) { (void)o; return kr_builder_encrypt(live.scratch, live.key, s, NULL); }
static KrStatus encrypt_enc_alg(const char *s, struct outs *o) { (void)o; return kr_builder_encrypt(live.scratch, live.key, NULL, s); }
static KrStatus jws_sign_alg(const char *s, struct outs *o) { return kr_jws_sign(live.key, s, NULL, PAYLOAD, sizeof PAYLOAD, &o->text); }
static KrStatus jws_sign_header(const char *s, struct outs *o) { return kr_jws_sign(live.key, NULL, s, PAYLOAD, sizeof PAYLOAD, &o->text); }
static KrStatus jws_verify_alg(const char *s, struct outs *o) { return kr_jws_verify(live.key, s, live.jws, strlen(live.jws), &o->reason, &o->bytes, &o->len, &o->text); }
static KrStatus jwe_encrypt_key_alg(const char *s, struct outs *o) { return kr_jwe_encrypt(live.key, s, NULL, NULL, PAYLOAD, sizeof PAYLOAD, &o->text); }
static KrStatus jwe_encrypt_enc_alg(const char *s, struct outs *o) { return kr_jwe_encrypt(live.key, NULL, s, NULL, PAYLOAD, sizeof PAYLOAD, &o->text); }
static KrStatus jwe_encrypt_header(const char *s, struct outs *o) { return kr_jwe_encrypt(live.key, NULL, NULL, s, PAYLOAD, sizeof PAYLOAD, &o->text); }
static KrStatus jwe_decrypt_key_alg(const char *s, struct outs *o) { return kr_jwe_decrypt(live.key, s, NULL, live.jwe, strlen(live.jwe), &o->reason, &o->bytes, &o->len, &o->text); }
static KrStatus jwe_decrypt_enc_alg(const char *s, struct outs *o) { return kr_jwe_decrypt(live.key, NULL, s, live.jwe, strlen(live.jwe), &o->reason, &o->bytes, &o->len, &o->text); }
static KrStatus inspect_decrypt_key_alg(const char *s, struct outs *o) { return kr_token_inspect_with_key(live.key, s, NULL, live.jwe, strlen(live.jwe), &o->text); }
static KrStatus inspect_decrypt_enc_alg(const char *s, struct outs *o) { return kr_token_inspect_with_key(live.key, NULL, s, live.jwe, strlen(live.jwe), &o->text); }
static KrStatus jwk_thumbprint(const char *s, struct outs *o) { return kr_jwk_compute_thumbprint(s, &o->text); }
static KrStatus validator_options(const char *s, struct outs *o) {
  const KrKey *keys[] = {live.key};
  return kr_validator_new(s, keys, 1, NULL, 0, &o->validator);
}
static KrStatus discovery_document(const char *s, struct outs *o) { return kr_discovery_read(s, "https://op.example", &o->text); }
static KrStatus discovery_authority(const char *s, struct outs *o) { return kr_discovery_read("{}", s, &o->text); }

#define STRING(fn, optional) {#fn, fn, optional}
static const struct string_call STRING_CALLS[] = {
    STRING(issuer, 0),           STRING(audience, 0),
    STRING(subject, 0),          STRING(claim_type, 0),
    STRING(claim_value, 0),      STRING(json_claim_type, 0),
    STRING(json_claim_value, 0), STRING(user_claim, 0),
    STRING(user_claim_value, 0), STRING(header_name, 0),
    STRING(header_value, 0),     STRING(sign_alg, 1),
    STRING(encrypt_key_alg, 1),  STRING(encrypt_enc_alg, 1),
    STRING(jws_sign_alg, 1),     STRING(jws_sign_header, 1),
    STRING(jws_verify_alg, 1),   STRING(jwe_encrypt_key_alg, 1),
    STRING(jwe_encrypt_enc_alg, 1), STRING(jwe_encrypt_header, 1),
    STRING(jwe_decrypt_key_alg, 1), STRING(jwe_decrypt_enc_alg, 1),
    STRING(inspect_decrypt_key_alg, 1), STRING(inspect_decrypt_enc_alg, 1),
    STRING(jwk_thumbprint, 0),   STRING(validator_options, 1),
    STRING(discovery_document, 0), STRING(discovery_authority, 0),
};

static void check_strings(void) {
  struct outs o = {0};
  for (size_t i = 0; i < sizeof STRING_CALLS / sizeof STRING_CALLS[0]; i++) {
    const struct string_call *c = &STRING_CALLS[i];
    check_call(c->name, "NULL", c->call(NULL, &o), c->optional ? KR_STATUS_OK : KR_STATUS_NULL_POINTER);
    release(&o);
    check_call(c->name, "invalid UTF-8", c->call(NOT_UTF8, &o), KR_STATUS_INVALID_ARGUMENT);
    release(&o);
  }
}

/* A token argument, which carries its length: every byte counts, a NUL included. NULL gives
 * KR_STATUS_NULL_POINTER; bytes that cannot be a token (not UTF-8, a NUL inside) are a refused
 * token: KR_STATUS_INVALID_TOKEN, or for validation KR_STATUS_OK with a reason that is not Valid.
 * `jwe`: the call takes the live JWE (else the live JWS or signed token). */
struct token_call {
  const char *name;
  KrStatus (*call)(const char *token, size_t len, struct outs *o);
  int validates;
  int jwe;
};

static KrStatus token_renew(const char *t, size_t n, struct outs *o) { return kr_builder_renew(live.builder, t, n, 0.0, &o->result); }
static KrStatus token_jws_verify(const char *t, size_t n, struct outs *o) { return kr_jws_verify(live.key, NULL, t, n, &o->reason, &o->bytes, &o->len, &o->text); }
static KrStatus token_jwe_decrypt(const char *t, size_t n, struct outs *o) { return kr_jwe_decrypt(live.key, NULL, NULL, t, n, &o->reason, &o->bytes, &o->len, &o->text); }
static KrStatus token_inspect(const char *t, size_t n, struct outs *o) { return kr_token_inspect(t, n, &o->text); }
static KrStatus token_inspect_decrypt(const char *t, size_t n, struct outs *o) { return kr_token_inspect_with_key(live.key, NULL, NULL, t, n, &o->text); }
static KrStatus token_check(const char *t, size_t n, struct outs *o) { return kr_validator_check(live.validator, t, n, &o->reason); }
static KrStatus token_validate(const char *t, size_t n, struct outs *o) { return kr_validator_validate(live.validator, t, n, &o->text); }
static KrStatus token_validator_inspect(const char *t, size_t n, struct outs *o) { return kr_validator_inspect(live.validator, t, n, &o->text); }

#define TOKEN(fn, validates, jwe) {#fn, fn, validates, jwe}
static const struct token_call TOKEN_CALLS[] = {
    TOKEN(token_renew, 0, 0),           TOKEN(token_jws_verify, 0, 0),
    TOKEN(token_jwe_decrypt, 0, 1),     TOKEN(token_inspect, 0, 0),
    TOKEN(token_inspect_decrypt, 0, 1), TOKEN(token_check, 1, 0),
    TOKEN(token_validate, 1, 0),        TOKEN(token_validator_inspect, 0, 0),
};

/* Whether a validation call refused the token: a reason in `o->reason` or in the report. */
static int refused_by_validation(const struct token_call *c, const struct outs *o) {
  static const char refused[] = "{\"valid\":false,";
  return c->call == token_check ? o->reason != KR_REASON_VALID : o->text != NULL && strncmp(o->text, refused, sizeof refused - 1) == 0;
}

static void check_tokens(void) {
  struct outs o = {0};
  for (size_t i = 0; i < sizeof TOKEN_CALLS / sizeof TOKEN_CALLS[0]; i++) {
    const struct token_call *c = &TOKEN_CALLS[i];
    const char *good = c->jwe ? live.jwe : c->call == token_jws_verify ? live.jws : live.token;
    check_call(c->name, "its token", c->call(good, strlen(good), &o), KR_STATUS_OK);
    release(&o);
    check_call(c->name, "NULL", c->call(NULL, 0, &o), KR_STATUS_NULL_POINTER);
    release(&o);
    check_call(c->name, "NULL with a length", c->call(NULL, 5, &o), KR_STATUS_NULL_POINTER);
    release(&o);
    /* The good token, then a NUL and more: not cut at the NUL, so never the good token. */
    size_t len = strlen(good);
    char *with_nul = malloc(len + 6);
    CHECK(with_nul != NULL);
    memcpy(with_nul, good, len);
    memcpy(with_nul + len, "\0junk", 6);
    const char *bad[] = {NOT_UTF8, with_nul};
    const size_t bad_len[] = {strlen(NOT_UTF8), len + 5};
    for (size_t b = 0; b < 2; b++) {
      KrStatus status = c->call(bad[b], bad_len[b], &o);
      check_call(c->name, b ? "a token, a NUL and more" : "invalid UTF-8", status, c->validates ? KR_STATUS_OK : KR_STATUS_INVALID_TOKEN);
      CHECK(!c->validates || refused_by_validation(c, &o));
      release(&o);
    }
    free(with_nul);
  }
}

/* Key import: formats, buffers and contents. */
static void check_key_import(void) {
  const uint8_t *hex = (const uint8_t *)SECRET_HEX;
  size_t hex_len = strlen(SECRET_HEX);
  KrKey *key = NULL;
  CHECK_STATUS(kr_key_import(99, hex, hex_len, &key), KR_STATUS_INVALID_ARGUMENT);
  CHECK(last_error_mentions("99"));
  CHECK_STATUS(kr_key_import(-1, hex, hex_len, &key), KR_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(kr_key_import(KR_KEY_FORMAT_HEX, hex, hex_len, NULL), KR_STATUS_NULL_POINTER);
  CHECK_STATUS(kr_key_import(KR_KEY_FORMAT_SECRET, NULL, 32, &key), KR_STATUS_NULL_POINTER);
  CHECK_STATUS(kr_key_import(KR_KEY_FORMAT_SECRET, NULL, 0, &key), KR_STATUS_INVALID_KEY);
  CHECK(last_error_mentions("empty"));
  for (int format = KR_KEY_FORMAT_SECRET; format <= KR_KEY_FORMAT_DER; format++) {
    check_call("kr_key_import", "no bytes", kr_key_import(format, hex, 0, &key),
               format == KR_KEY_FORMAT_JWK ? KR_STATUS_INVALID_JSON : KR_STATUS_INVALID_KEY);
  }
  for (int format = KR_KEY_FORMAT_BASE64URL; format <= KR_KEY_FORMAT_PEM; format++) {
    if (format != KR_KEY_FORMAT_PASSPHRASE) { /* a passphrase is any bytes */
      check_call("kr_key_import", "invalid UTF-8", kr_key_import(format, (const uint8_t *)NOT_UTF8, strlen(NOT_UTF8), &key),
                 KR_STATUS_INVALID_ARGUMENT);
    }
  }
  CHECK_STATUS(kr_key_import(KR_KEY_FORMAT_JWK, (const uint8_t *)"{\"kty\":", 7, &key), KR_STATUS_INVALID_JSON);
  CHECK_STATUS(kr_key_import(KR_KEY_FORMAT_JWK, (const uint8_t *)"[]", 2, &key), KR_STATUS_INVALID_JSON);
  CHECK_STATUS(kr_key_import(KR_KEY_FORMAT_JWK, (const uint8_t *)"{\"kty\":\"oct\"}", 13, &key), KR_STATUS_INVALID_KEY);
  /* Numbers that make no key are INVALID_KEY, not a CRYPTO failure (both found by fuzzing, see
   * fuzz/corpus/key_import/regress-*): an RSA JWK with an even modulus, which OpenSSL cannot sign
   * with, and a certificate whose EC point is off the curve. */
  char modulus[343], rsa_jwk[400];
  memset(modulus, 'A', sizeof modulus - 1);
  modulus[0] = 'w';
  modulus[sizeof modulus - 2] = 'g';
  modulus[sizeof modulus - 1] = '\0';
  snprintf(rsa_jwk, sizeof rsa_jwk, "{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"AQAB\",\"d\":\"Aw\"}", modulus);
  CHECK_STATUS(kr_key_import(KR_KEY_FORMAT_JWK, (const uint8_t *)rsa_jwk, strlen(rsa_jwk), &key), KR_STATUS_INVALID_KEY);
  static const char certificate[] = "-----BEGIN CERTIFICATE-----\n"
                                    "MIIBEjCBuQIUOGscwucxjJkPYYl0QW341J9oUQ4wCgYIKoZIzj0EAwIwDDEKMAgG\n"
                                    "A1UEAwwBeDAeFw0yNjExMjIxOTI2NDZaFw0yNjExMjMxOTI2NDZaMAwxCjAIBgNV\n"
                                    "BAMMAXgwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASSnaxvjd+lvCChzAspweoc\n"
                                    "bkVm5tgxbaA+uLA/U3xxZ15SLzmSvOHZeWra95Lh6Up1x4+/c2RTxp63Q8lkXUj5\n"
                                    "MAoGCCqGSM49BAMCA0gAMEUCIGryUGrg0Cz2H1/9xL8IQ7sjAxAK/GePk7h6rdA0\n"
                                    "3VbmAiEAr41O4vpQbULF+8SGoF9V3mEq4z3E44h/0mIIacfIf/k=\n"
                                    "-----END CERTIFICATE-----\n";
  CHECK_STATUS(kr_key_import(KR_KEY_FORMAT_PEM, (const uint8_t *)certificate, strlen(certificate), &key),
               KR_STATUS_INVALID_KEY);

  CHECK_STATUS(kr_key_import(KR_KEY_FORMAT_HEX, hex, 10, &key), KR_STATUS_OK); /* 5 bytes: too short to sign */
  CHECK_STATUS(kr_builder_sign(live.scratch, key, "HS256"), KR_STATUS_INVALID_KEY);
  char *jwk = NULL;
  CHECK_STATUS(kr_key_export_public_jwk(key, &jwk), KR_STATUS_INVALID_KEY);
  kr_string_free(jwk);
  CHECK_STATUS(kr_key_free(key), KR_STATUS_OK);
}

/* Bad JSON, names, numbers and buffers, with live handles. */
static void check_arguments(void) {
  const KrKey *keys[] = {live.key};
  struct outs o = {0};
  CHECK_STATUS(kr_builder_add_claim_json(live.scratch, "c", "{"), KR_STATUS_INVALID_JSON);
  CHECK_STATUS(kr_builder_set_header(live.scratch, "x-h", "[1,"), KR_STATUS_INVALID_JSON);
  CHECK_STATUS(kr_builder_set_header(live.scratch, "alg", "\"none\""), KR_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(kr_builder_add_user_claim(live.scratch, "NoSuchClaim", "v"), KR_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(kr_builder_sign(live.scratch, live.key, "none"), KR_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(kr_builder_sign(live.scratch, live.key, "HS256"), KR_STATUS_INVALID_KEY);
  CHECK_STATUS(kr_builder_encrypt(live.scratch, live.key, "no-such-alg", NULL), KR_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(kr_builder_encrypt(live.scratch, live.key, "A128KW", NULL), KR_STATUS_INVALID_KEY);
  CHECK_STATUS(kr_builder_set_lifetime(live.scratch, -1.0), KR_STATUS_INVALID_ARGUMENT);
  CHECK(last_error_mentions("positive"));
  CHECK_STATUS(kr_builder_set_lifetime(live.scratch, NAN), KR_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(kr_builder_set_lifetime(live.scratch, INFINITY), KR_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(kr_builder_set_not_before_offset(live.scratch, NAN), KR_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(kr_builder_renew(live.builder, live.token, strlen(live.token), NAN, &o.result), KR_STATUS_INVALID_ARGUMENT);
  release(&o);
  CHECK_STATUS(kr_builder_renew(live.builder, "not.a.token", strlen("not.a.token"), 0.0, &o.result), KR_STATUS_INVALID_TOKEN);
  release(&o);
  CHECK_STATUS(kr_validator_new_for_result(live.result, -1.0, &o.validator), KR_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(kr_validator_new_for_result(live.result, NAN, &o.validator), KR_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(kr_validator_new_for_result(live.result, 1e9, &o.validator), KR_STATUS_INVALID_ARGUMENT);
  release(&o);

  CHECK_STATUS(kr_validator_new("{", keys, 1, NULL, 0, &o.validator), KR_STATUS_INVALID_JSON);
  CHECK_STATUS(kr_validator_new("[]", keys, 1, NULL, 0, &o.validator), KR_STATUS_INVALID_JSON);
  CHECK_STATUS(kr_validator_new("{\"noSuchOption\":1}", keys, 1, NULL, 0, &o.validator), KR_STATUS_INVALID_JSON);
  CHECK_STATUS(kr_validator_new("{\"jwks\":{\"keys\":1}}", NULL, 0, NULL, 0, &o.validator), KR_STATUS_INVALID_JSON);
  CHECK_STATUS(kr_validator_new("{\"algorithms\":[\"none\"]}", keys, 1, NULL, 0, &o.validator), KR_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(kr_validator_new(NULL, NULL, 0, NULL, 0, &o.validator), KR_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(kr_validator_new(NULL, NULL, 2, NULL, 0, &o.validator), KR_STATUS_NULL_POINTER);
  CHECK_STATUS(kr_validator_new(NULL, keys, 1, NULL, 2, &o.validator), KR_STATUS_NULL_POINTER);
  release(&o);

  CHECK_STATUS(kr_jws_sign(live.key, NULL, "[1]", PAYLOAD, sizeof PAYLOAD, &o.text), KR_STATUS_INVALID_JSON);
  CHECK_STATUS(kr_jws_sign(live.key, NULL, "{\"alg\":\"none\"}", PAYLOAD, sizeof PAYLOAD, &o.text), KR_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(kr_jws_sign(live.key, NULL, NULL, NULL, 3, &o.text), KR_STATUS_NULL_POINTER);
  CHECK_STATUS(kr_jwe_encrypt(live.key, NULL, NULL, "{", PAYLOAD, sizeof PAYLOAD, &o.text), KR_STATUS_INVALID_JSON);
  CHECK_STATUS(kr_jwe_encrypt(live.key, NULL, NULL, NULL, NULL, 3, &o.text), KR_STATUS_NULL_POINTER);
  CHECK_STATUS(kr_jwk_compute_thumbprint("{", &o.text), KR_STATUS_INVALID_JSON);
  CHECK_STATUS(kr_jwks_export(NULL, 1, &o.text), KR_STATUS_NULL_POINTER);
  CHECK_STATUS(kr_discovery_read("{\"issuer\":\"https://op.example\"}", "https://op.example", &o.text), KR_STATUS_INVALID_JSON);
  CHECK_STATUS(kr_discovery_read("{\"issuer\":\"https://other.example\",\"jwks_uri\":\"k\"}", "https://op.example", &o.text),
               KR_STATUS_INVALID_ARGUMENT);
  CHECK(last_error_mentions("https://other.example"));
  CHECK_STATUS(kr_discovery_read("{\"issuer\":\"https://op.example\",\"jwks_uri\":\"k\"}", "https://op.example", NULL),
               KR_STATUS_NULL_POINTER);
  release(&o);

  /* Tokens that are not what the call expects. */
  CHECK_STATUS(kr_token_inspect("not a token", strlen("not a token"), &o.text), KR_STATUS_INVALID_TOKEN);
  CHECK_STATUS(kr_jws_verify(live.key, NULL, live.jwe, strlen(live.jwe), &o.reason, &o.bytes, &o.len, &o.text), KR_STATUS_INVALID_TOKEN);
  CHECK(o.reason == KR_REASON_MALFORMED && o.bytes == NULL && o.text == NULL);
  o.reason = KR_REASON_VALID;
  CHECK_STATUS(kr_jwe_decrypt(live.key, NULL, NULL, live.jws, strlen(live.jws), &o.reason, &o.bytes, &o.len, &o.text), KR_STATUS_INVALID_TOKEN);
  CHECK(o.reason == KR_REASON_MALFORMED && o.bytes == NULL && o.text == NULL);
  CHECK_STATUS(kr_validator_check(live.validator, "", strlen(""), &o.reason), KR_STATUS_OK);
  CHECK(o.reason == KR_REASON_MALFORMED);
  release(&o);

  /* Empty buffers are fine where empty content is. */
  CHECK_STATUS(kr_jwks_export(NULL, 0, &o.text), KR_STATUS_OK);
  CHECK(o.text != NULL && strcmp(o.text, "{\"keys\":[]}") == 0);
  release(&o);
  char *empty = NULL;
  CHECK_STATUS(kr_jws_sign(live.key, NULL, NULL, NULL, 0, &empty), KR_STATUS_OK);
  o.reason = KR_REASON_MALFORMED;
  CHECK_STATUS(kr_jws_verify(live.key, NULL, empty, strlen(empty), &o.reason, &o.bytes, &o.len, &o.text), KR_STATUS_OK);
  CHECK(o.len == 0 && o.reason == KR_REASON_VALID);
  kr_string_free(empty);
  release(&o);
  CHECK_STATUS(kr_jwe_encrypt(live.key, NULL, NULL, NULL, NULL, 0, &o.text), KR_STATUS_OK);
  release(&o);
  kr_bytes_free(NULL, 0);
  kr_string_free(NULL);
}

/* What the library describes of itself, and the names of reasons. */
static void check_library(void) {
  char *json = NULL;
  CHECK_STATUS(kr_library_describe(NULL), KR_STATUS_NULL_POINTER);
  CHECK_STATUS(kr_library_describe(&json), KR_STATUS_OK);
  CHECK(json != NULL && strstr(json, "\"clockSkewSeconds\":60") != NULL && KRJWT_DEFAULT_CLOCK_SKEW_SECONDS == 60);
  kr_string_free(json);
  CHECK(kr_reason_get_name(KR_REASON_VALID) != NULL && strcmp(kr_reason_get_name(KR_REASON_VALID), "Valid") == 0);
  CHECK(strcmp(kr_reason_get_name(KR_REASON_KEY_SET_UNAVAILABLE), "KeySetUnavailable") == 0);
  CHECK(kr_reason_get_name(-1) == NULL && kr_reason_get_name(KR_REASON_KEY_SET_UNAVAILABLE + 1) == NULL && kr_reason_get_name(INT32_MAX) == NULL);
}

static void setup(void) {
  CHECK_STATUS(kr_key_import(KR_KEY_FORMAT_JWK, (const uint8_t *)EC_JWK, strlen(EC_JWK), &live.key), KR_STATUS_OK);
  CHECK_STATUS(kr_builder_new(&live.builder), KR_STATUS_OK);
  CHECK_STATUS(kr_builder_set_issuer(live.builder, "misuse"), KR_STATUS_OK);
  CHECK_STATUS(kr_builder_add_audience(live.builder, "tests"), KR_STATUS_OK);
  CHECK_STATUS(kr_builder_sign(live.builder, live.key, NULL), KR_STATUS_OK);
  CHECK_STATUS(kr_builder_clone(live.builder, &live.scratch), KR_STATUS_OK);
  CHECK_STATUS(kr_builder_build(live.builder, &live.result), KR_STATUS_OK);
  CHECK_STATUS(kr_result_get_token(live.result, &live.token), KR_STATUS_OK);
  CHECK_STATUS(kr_validator_new_for_result(live.result, 60.0, &live.validator), KR_STATUS_OK);
  CHECK_STATUS(kr_jws_sign(live.key, NULL, NULL, PAYLOAD, sizeof PAYLOAD, &live.jws), KR_STATUS_OK);
  CHECK_STATUS(kr_jwe_encrypt(live.key, NULL, NULL, "{\"cty\":\"JWT\"}", (const uint8_t *)live.token, strlen(live.token),
                              &live.jwe),
               KR_STATUS_OK);
}

static void teardown(void) {
  /* The live handles survived every misuse above (wrong-type frees included). */
  enum KrReason reason = KR_REASON_MALFORMED;
  CHECK_STATUS(kr_validator_check(live.validator, live.token, strlen(live.token), &reason), KR_STATUS_OK);
  CHECK(reason == KR_REASON_VALID);
  kr_string_free(live.jwe);
  kr_string_free(live.jws);
  kr_string_free(live.token);
  CHECK_STATUS(kr_validator_free(live.validator), KR_STATUS_OK);
  CHECK_STATUS(kr_result_free(live.result), KR_STATUS_OK);
  CHECK_STATUS(kr_builder_free(live.scratch), KR_STATUS_OK);
  CHECK_STATUS(kr_builder_free(live.builder), KR_STATUS_OK);
  CHECK_STATUS(kr_key_free(live.key), KR_STATUS_OK);
  CHECK_STATUS(kr_key_free(live.key), KR_STATUS_INVALID_HANDLE);
}

int main(void) {
  CHECK(kr_abi_version() == KRJWT_ABI_VERSION);
  CHECK(kr_last_error_get_code() == KR_STATUS_OK);
  setup();
  check_handles();
  check_strings();
  check_tokens();
  check_key_import();
  check_arguments();
  check_library();
  teardown();
  return check_summary("C ABI misuse");
}
