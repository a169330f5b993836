/* Fuzz target: token inspection, which decodes without validating and so parses anything it is
 * given (all its bytes: tokens carry their length). kr_token_inspect may only refuse the input as a
 * token, and what it returns is a description object. kr_token_inspect_with_key, given a recipient key
 * of keys.h, must describe any token that is not a JWE exactly as kr_token_inspect does. */
#include "keys.h"

static KrKey *recipient_key;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  recipient_key = import_key(&FUZZ_RECIPIENTS[0].key);
  return 0;
}

static size_t dots(const uint8_t *data, size_t size) {
  size_t count = 0;
  for (size_t i = 0; i < size; i++) {
    count += data[i] == '.';
  }
  return count;
}

/* Whether two descriptions of one token agree. Their last member, "expiresInSeconds", is counted
 * from the moment of each call, so only what comes before it must be the same. */
static int same_description(const char *a, const char *b) {
  static const char clock[] = ",\"expiresInSeconds\":";
  const char *last = NULL;
  for (const char *found = strstr(a, clock); found; found = strstr(found + 1, clock)) {
    last = found;
  }
  size_t compared = last ? (size_t)(last - a) : strlen(a) + 1;
  return strncmp(a, b, compared) == 0 && (last == NULL || strncmp(b + compared, clock, sizeof clock - 1) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const unsigned allowed = ALLOW(KR_STATUS_OK) | ALLOW(KR_STATUS_INVALID_TOKEN);
  const char *token = (const char *)data;
  char *info = NULL;
  KrStatus status = kr_token_inspect(token, size, &info);
  expect_status("kr_token_inspect", status, allowed);
  expect("kr_token_inspect", (status == KR_STATUS_OK) == (info != NULL && strncmp(info, "{\"algorithm\":", 13) == 0),
         "a description comes exactly with success");

  char *decrypted_info = NULL;
  KrStatus decrypted_status = kr_token_inspect_with_key(recipient_key, NULL, NULL, token, size, &decrypted_info);
  expect_status("kr_token_inspect_with_key", decrypted_status, allowed);
  if (dots(data, size) != 4) {
    expect("kr_token_inspect_with_key", decrypted_status == status && (status != KR_STATUS_OK || same_description(info, decrypted_info)),
           "differs from kr_token_inspect for a token that is not a JWE");
  }
  kr_string_free(decrypted_info);
  kr_string_free(info);
  return 0;
}
