/* Soak test of the C ABI: build and validate tokens for many cycles, through the error paths too,
 * and fail if the resident set keeps growing (a leak per cycle).
 *
 *   soak [cycles]    default 20000, a quick check for the test suite; scripts/soak-cabi.sh runs 10^6
 *
 * Each cycle clones a template builder (HS256; every other cycle a nested JWT, every 16th ES256),
 * adds a claim, builds, validates the token intact and altered, describes and inspects it, makes a
 * call fail (last error) and hands NULL for a new handle's output; everything is freed. VmRSS is
 * sampled after 10%, 50% and 100% of the cycles: the last may exceed the first by 5% + 2 MiB.
 * Under MIN_JUDGED_CYCLES the samples are only shown: short runs are for memory checkers
 * (scripts/check-memory.sh), whose allocators hold on to freed memory. */
#include "check.h"

#include <time.h>

static const char HMAC_HEX[] = "a0b1c2d3e4f5061728394a5b6c7d8e9fa1b2c3d4e5f60718293a4b5c6d7e8f90";
static const char AES_HEX[] = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
/* The RFC 7515 A.3 P-256 key. */
static const char EC_JWK[] = "{\"kty\":\"EC\",\"crv\":\"P-256\","
                             "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
                             "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\","
                             "\"d\":\"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI\"}";

enum { HS256, NESTED, ES256, TEMPLATES };

#define MIN_JUDGED_CYCLES 10000

static long vm_rss_kib(void) {
  FILE *status = fopen("/proc/self/status", "r");
  char line[256];
  long kib = -1;
  while (status != NULL && fgets(line, sizeof line, status) != NULL) {
    if (sscanf(line, "VmRSS: %ld kB", &kib) == 1) {
      break;
    }
  }
  if (status != NULL) {
    fclose(status);
  }
  return kib;
}

static KrKey *import(KrKeyFormat format, const char *text) {
  KrKey *key = NULL;
  CHECK_STATUS(kr_key_import(format, (const uint8_t *)text, strlen(text), &key), KR_STATUS_OK);
  return key;
}

static KrBuilder *make_template(KrKey *signer, KrKey *recipient) {
  KrBuilder *builder = NULL;
  CHECK_STATUS(kr_builder_new(&builder), KR_STATUS_OK);
  CHECK_STATUS(kr_builder_set_issuer(builder, "soak"), KR_STATUS_OK);
  CHECK_STATUS(kr_builder_add_audience(builder, "soak-clients"), KR_STATUS_OK);
  CHECK_STATUS(kr_builder_add_user_claim(builder, "Role", "reader"), KR_STATUS_OK);
  CHECK_STATUS(kr_builder_sign(builder, signer, NULL), KR_STATUS_OK);
  if (recipient != NULL) {
    CHECK_STATUS(kr_builder_encrypt(builder, recipient, NULL, NULL), KR_STATUS_OK);
  }
  return builder;
}

static void cycle(const KrBuilder *model, long n) {
  KrBuilder *builder = NULL;
  KrResult *result = NULL;
  KrValidator *validator = NULL;
  char *token = NULL, *report = NULL, *description = NULL, *info = NULL, number[32];
  enum KrReason reason = KR_REASON_MALFORMED;
  snprintf(number, sizeof number, "%ld", n);

  CHECK_STATUS(kr_builder_clone(model, &builder), KR_STATUS_OK);
  CHECK_STATUS(kr_builder_add_claim(builder, "cycle", number), KR_STATUS_OK);
  CHECK_STATUS(kr_builder_build(builder, &result), KR_STATUS_OK);
  CHECK_STATUS(kr_result_get_token(result, &token), KR_STATUS_OK);
  CHECK_STATUS(kr_result_describe(result, &description), KR_STATUS_OK);
  CHECK_STATUS(kr_validator_new_for_result(result, 60.0, &validator), KR_STATUS_OK);
  CHECK_STATUS(kr_validator_check(validator, token, strlen(token), &reason), KR_STATUS_OK);
  CHECK(reason == KR_REASON_VALID);
  CHECK_STATUS(kr_token_inspect(token, strlen(token), &info), KR_STATUS_OK);

  /* The error paths: an altered token's report, a refused argument, a handle nobody receives. */
  size_t len = strlen(token);
  token[len - 2] = token[len - 2] == 'A' ? 'B' : 'A';
  CHECK_STATUS(kr_validator_validate(validator, token, strlen(token), &report), KR_STATUS_OK);
  CHECK(report != NULL && strstr(report, "\"valid\":false") != NULL);
  CHECK_STATUS(kr_builder_set_lifetime(builder, -1.0), KR_STATUS_INVALID_ARGUMENT);
  kr_string_free(kr_last_error_get_message());
  CHECK_STATUS(kr_key_import(KR_KEY_FORMAT_HEX, (const uint8_t *)HMAC_HEX, strlen(HMAC_HEX), NULL),
               KR_STATUS_NULL_POINTER);

  kr_string_free(info);
  kr_string_free(report);
  kr_string_free(description);
  kr_string_free(token);
  CHECK_STATUS(kr_validator_free(validator), KR_STATUS_OK);
  CHECK_STATUS(kr_result_free(result), KR_STATUS_OK);
  CHECK_STATUS(kr_builder_free(builder), KR_STATUS_OK);
}

static double seconds_now(void) {
  struct timespec now;
  timespec_get(&now, TIME_UTC);
  return (double)now.tv_sec + now.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  long cycles = argc > 1 ? strtol(argv[1], NULL, 10) : 20000;
  if (cycles < 10) {
    fprintf(stderr, "usage: soak [cycles]   (at least 10)\n");
    return EXIT_FAILURE;
  }
  KrKey *hmac = import(KR_KEY_FORMAT_HEX, HMAC_HEX);
  KrKey *aes = import(KR_KEY_FORMAT_HEX, AES_HEX);
  KrKey *ec = import(KR_KEY_FORMAT_JWK, EC_JWK);
  KrBuilder *templates[TEMPLATES] = {make_template(hmac, NULL), make_template(hmac, aes), make_template(ec, NULL)};

  long samples[3] = {0};
  const long at[3] = {cycles / 10, cycles / 2, cycles};
  double start = seconds_now();
  for (long n = 1; n <= cycles && check_failures == 0; n++) {
    cycle(templates[n % 16 == 0 ? ES256 : n % 2 ? NESTED : HS256], n);
    for (int s = 0; s < 3; s++) {
      if (n == at[s]) {
        samples[s] = vm_rss_kib();
      }
    }
  }
  double elapsed = seconds_now() - start;

  for (int t = 0; t < TEMPLATES; t++) {
    CHECK_STATUS(kr_builder_free(templates[t]), KR_STATUS_OK);
  }
  CHECK_STATUS(kr_key_free(ec), KR_STATUS_OK);
  CHECK_STATUS(kr_key_free(aes), KR_STATUS_OK);
  CHECK_STATUS(kr_key_free(hmac), KR_STATUS_OK);

  printf("soak: %ld cycles in %.1f s (%.1f us each); VmRSS after 10%%: %ld KiB, 50%%: %ld KiB, 100%%: %ld KiB\n",
         cycles, elapsed, elapsed * 1e6 / (double)cycles, samples[0], samples[1], samples[2]);
  CHECK(samples[0] > 0);
  if (cycles >= MIN_JUDGED_CYCLES) {
    long limit = samples[0] + samples[0] / 20 + 2048;
    printf("soak: growth limit: %ld KiB at the end\n", limit);
    CHECK(samples[2] <= limit);
  }
  return check_summary("C ABI soak");
}
