/* Fuzz target: token inspection, which decodes without validating and so parses anything it is
 * given. kr_inspect may only refuse the input as a token (or as not UTF-8), and what it returns
 * is a description object. kr_inspect_decrypt, given a recipient key of keys.h, must describe any
 * token that is not a JWE exactly as kr_inspect does. */
#include "keys.h"

static KrKey *recipient_key;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  recipient_key = import_key(&FUZZ_RECIPIENTS[0].key);
  return 0;
}

static size_t dots(const char *text) {
  size_t count = 0;
  for (; *text; text++) {
    count += *text == '.';
  }
  return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const unsigned allowed = ALLOW(KR_STATUS_OK) | ALLOW(KR_STATUS_INVALID_TOKEN) | ALLOW(KR_STATUS_INVALID_ARGUMENT);
  char *token = fuzz_string(data, size);
  char *info = NULL;
  KrStatus status = kr_inspect(token, &info);
  expect_status("kr_inspect", status, allowed);
  expect("kr_inspect", (status == KR_STATUS_OK) == (info != NULL && strncmp(info, "{\"algorithm\":", 13) == 0),
         "a description comes exactly with success");

  char *decrypted_info = NULL;
  KrStatus decrypted_status = kr_inspect_decrypt(token, recipient_key, NULL, NULL, &decrypted_info);
  expect_status("kr_inspect_decrypt", decrypted_status, allowed);
  if (dots(token) != 4) {
    expect("kr_inspect_decrypt", decrypted_status == status && (status != KR_STATUS_OK || strcmp(info, decrypted_info) == 0),
           "differs from kr_inspect for a token that is not a JWE");
  }
  kr_string_free(decrypted_info);
  kr_string_free(info);
  free(token);
  return 0;
}
