/* Writes the generated seeds of fuzz/corpus/ (files named gen-*), the ones that must match the
 * keys of keys.h: real tokens of every signing algorithm and nested JWTs to every recipient (for
 * validate and inspect), JWEs to every recipient (for jwe_decrypt), and each key in its import
 * formats (for key_import). Hand-written seeds sit beside them.
 *
 *   cc -std=c11 -I include fuzz/seeds.c -L target/release -lkrjwt -o target/seeds
 *   LD_LIBRARY_PATH=target/release target/seeds fuzz/corpus
 */
#include "keys.h"

/* Long enough that the seed tokens stay valid for as long as anyone fuzzes them. */
#define LIFETIME_SECONDS (100.0 * 365 * 86400)

static const char *corpus;

static void must(const char *call, KrStatus status) {
  expect_status(call, status, ALLOW(KR_STATUS_OK));
}

/* Writes `prefix` then `text` to <corpus>/<target>/gen-<name><suffix>. */
static void seed(const char *target, const char *name, const char *suffix, const char *prefix, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s/gen-%s%s", corpus, target, name, suffix);
  FILE *file = fopen(path, "wb");
  if (file == NULL || fputs(prefix, file) < 0 || fputs(text, file) < 0 || fclose(file) != 0) {
    perror(path);
    exit(EXIT_FAILURE);
  }
}

/* A token with the claims the fuzz validators require, signed by `key` with `alg` and, if
 * `recipient` is not NULL, encrypted to it; seeds validate and inspect as <name>. */
static void token(const KrKey *key, const char *alg, const KrKey *recipient, const struct fuzz_recipient *how,
                  const char *name) {
  KrBuilder *builder = NULL;
  KrResult *result = NULL;
  char *text = NULL;
  must("kr_builder_new", kr_builder_new(&builder));
  must("kr_builder_set_issuer", kr_builder_set_issuer(builder, FUZZ_ISSUER));
  must("kr_builder_add_audience", kr_builder_add_audience(builder, FUZZ_AUDIENCE));
  must("kr_builder_set_subject", kr_builder_set_subject(builder, "alice"));
  must("kr_builder_add_claim_json", kr_builder_add_claim_json(builder, "roles", "[\"reader\",\"writer\"]"));
  must("kr_builder_set_lifetime", kr_builder_set_lifetime(builder, LIFETIME_SECONDS));
  must("kr_builder_sign", kr_builder_sign(builder, key, alg));
  if (recipient != NULL) {
    must("kr_builder_encrypt", kr_builder_encrypt(builder, recipient, how->alg, how->enc));
  }
  must("kr_builder_build", kr_builder_build(builder, &result));
  must("kr_result_get_token", kr_result_get_token(result, &text));
  seed("validate", name, "", "", text);
  seed("inspect", name, "", "", text);
  kr_string_free(text);
  must("kr_result_free", kr_result_free(result));
  must("kr_builder_free", kr_builder_free(builder));
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: seeds <corpus directory>\n");
    return EXIT_FAILURE;
  }
  corpus = argv[1];

  KrKey *signers[FUZZ_COUNT(FUZZ_SIGNERS)];
  for (size_t i = 0; i < FUZZ_COUNT(FUZZ_SIGNERS); i++) {
    const struct fuzz_signer *signer = &FUZZ_SIGNERS[i];
    signers[i] = import_key(&signer->key);
    for (const char *const *alg = signer->algorithms; *alg; alg++) {
      token(signers[i], *alg, NULL, NULL, *alg);
    }
    int pem = signer->key.format == KR_KEY_FORMAT_PEM;
    seed("key_import", signer->key.name, pem ? "-pem" : "-hex", pem ? "5" : "2", signer->key.text);
  }
  /* Asymmetric keys also as public JWKs and as one JWK Set. */
  KrKey *const *asymmetric = signers + 1;
  size_t asymmetric_count = FUZZ_COUNT(FUZZ_SIGNERS) - 1;
  for (size_t i = 0; i < asymmetric_count; i++) {
    char *jwk = NULL;
    must("kr_key_export_public_jwk", kr_key_export_public_jwk(asymmetric[i], &jwk));
    seed("key_import", FUZZ_SIGNERS[i + 1].key.name, "-public-jwk", "4", jwk);
    kr_string_free(jwk);
  }
  char *jwks = NULL;
  must("kr_jwks_export", kr_jwks_export((const KrKey *const *)asymmetric, asymmetric_count, &jwks));
  seed("key_import", "jwks", "", "S", jwks);
  kr_string_free(jwks);

  static const char plaintext[] = "The true sign of intelligence is not knowledge but imagination.";
  for (size_t i = 0; i < FUZZ_COUNT(FUZZ_RECIPIENTS); i++) {
    const struct fuzz_recipient *recipient = &FUZZ_RECIPIENTS[i];
    KrKey *key = import_key(&recipient->key);
    char name[64];
    snprintf(name, sizeof name, "nested-%s", recipient->key.name);
    token(signers[0], "HS256", key, recipient, name);
    char *jwe = NULL;
    must("kr_jwe_encrypt", kr_jwe_encrypt(key, recipient->alg, recipient->enc, NULL, (const uint8_t *)plaintext,
                                          sizeof plaintext - 1, &jwe));
    seed("jwe_decrypt", recipient->key.name, "", "", jwe);
    kr_string_free(jwe);
    must("kr_key_free", kr_key_free(key));
  }
  for (size_t i = 0; i < FUZZ_COUNT(FUZZ_SIGNERS); i++) {
    must("kr_key_free", kr_key_free(signers[i]));
  }
  return EXIT_SUCCESS;
}
