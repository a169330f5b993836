/* Fuzz target: kr_jwe_decrypt, once per recipient of keys.h (each decrypter accepting every
 * algorithm pair its key fits, or the one pair named), on all the input's bytes. PBES2 is left
 * out: a token may legitimately ask for 10,000 PBKDF2 rounds, milliseconds per input, which
 * would slow the fuzzer a hundredfold. A refused token is KR_STATUS_INVALID_TOKEN; a decrypted
 * one comes with its header. */
#include "keys.h"

static KrKey *keys[FUZZ_COUNT(FUZZ_RECIPIENTS)];

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  for (size_t i = 0; i < FUZZ_COUNT(FUZZ_RECIPIENTS); i++) {
    keys[i] = import_key(&FUZZ_RECIPIENTS[i].key);
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  for (size_t i = 0; i < FUZZ_COUNT(FUZZ_RECIPIENTS); i++) {
    uint8_t *plaintext = NULL;
    size_t length = 0;
    char *header = NULL;
    enum KrReason reason = KR_REASON_KEY_SET_UNAVAILABLE; /* never a decryption's verdict */
    KrStatus status = kr_jwe_decrypt(keys[i], FUZZ_RECIPIENTS[i].alg, FUZZ_RECIPIENTS[i].enc, (const char *)data, size,
                                     &reason, &plaintext, &length, &header);
    expect_status("kr_jwe_decrypt", status, ALLOW(KR_STATUS_OK) | ALLOW(KR_STATUS_INVALID_TOKEN));
    expect("kr_jwe_decrypt", (status == KR_STATUS_OK) == (header != NULL), "a header comes exactly with success");
    expect("kr_jwe_decrypt", (status == KR_STATUS_OK) == (reason == KR_REASON_VALID) && reason != KR_REASON_KEY_SET_UNAVAILABLE,
           "the verdict agrees with the status");
    kr_bytes_free(plaintext, length);
    kr_string_free(header);
  }
  return 0;
}
