/* Fixed key material of the fuzz targets and of the seed generator (fuzz/seeds.c): test keys
 * made once with openssl for fuzzing only. The generated seeds (fuzz/corpus/<target>/gen-*) were made
 * with them: change a key, then rerun fuzz/seeds.c. */
#ifndef KRJWT_FUZZ_KEYS_H
#define KRJWT_FUZZ_KEYS_H

#include "fuzz.h"

/* The issuer and audience the fuzz validators require and the seed tokens carry. */
#define FUZZ_ISSUER "fuzz-issuer"
#define FUZZ_AUDIENCE "fuzz-audience"

/* 64 bytes: long enough for HS256, HS384 and HS512. */
#define FUZZ_HMAC_HEX \
  "7a029f0d378ac7a5256167399a675290dd172425c22ae07232bb33c81776a547" \
  "4f3bb040b0b3ebed39ce10028113484d6a296926243789c3cd8912eec6da6498"
#define FUZZ_AES128_HEX "3b6caca13e7b41ad3ceebad26d0b61e6"
#define FUZZ_AES256_HEX "d2b8970130bd566424fb5d21f4bf82dcbd4bea6b042385824b313a4756b9dd72"

#define FUZZ_RSA_PEM \
  "-----BEGIN PRIVATE KEY-----\n" \
  "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCR/77iSHx8db0M\n" \
  "gXXPjJKs5JFtqoominnp8aOFZbDCXcdXku2888gymb96Qo2889qGxSwq1oAvKzz6\n" \
  "qucrAhXW8J/bfiU1nlhzqqkC3EwzZVH8uUnFO8hzXCM6KoNoKX8HNzMGLJbvf9FP\n" \
  "J0xhnzJKGs1P98glllLQdWqgWZCIxjtQgu85GMhE/XILXajgrSg1fSeXGagSFS/u\n" \
  "n6Kh2qTcvKUDy5ra0Nns3iWHZ9XwNuK9hzjSx6FKn2D5EjrTgdWNnHaeC7KAgXcr\n" \
  "JgzixSsuXNBOrGE5Gz1Ej3opjM9TjwnIyj+SseIzPbd8amxtCnM0IqYpc7I5yzIs\n" \
  "pljWMN2LAgMBAAECggEAH2YXmNXLA/9USZC8FAdg8hL0Hdg7/t7wKjqAFuvQUHTX\n" \
  "rsNYIrdxGkTLk9ElZ3owSKS2A35/MeXEJwrDTZIUvVWho5RlDzt/PVz6HTXgo3sK\n" \
  "X2Y/8c2SJhEuOE+1VBz8h0I9VHoZeeeMzc+fUy1oJNzPw/9/iWnjZJaj+Flaxrc7\n" \
  "82DzgE3kCuanhBjq5FMM6oWkYTw+10uRYjUlrhYGDIUNtofDJ8f3ipAa7k0u1jw+\n" \
  "30KJ/dyt8VV8rPhrLuUsk0Tz1MdKhvBVh9w116630qDHP6Lo31LIOsyEMcqjblzQ\n" \
  "kAFf8n7XsfCt+ge9MISSJbF06byz1ED1US1qtYrsLQKBgQDNPRVvcno+dS04tceD\n" \
  "Qni//VDLRdE6qU9iG3LGv8jwo4sKlblCWRkrRYyZqazi1ZGXrSEKiU1LrLzXbs6y\n" \
  "zQahAwaDHctIbPCEuVcCe/KX6FEM00PO+sbuNEKlHM2wLGSXjIjo3dFY/oBk9ma7\n" \
  "bOArQRbHpZzm0lyVDg045IzmzwKBgQC2G9bK+cAbRlxFq+0TZ7LBIri6GIxUK78L\n" \
  "SKv+YTK7LdlagNyiT82UwvN4eoxsG7Trriy1SUG94cCuWTHGLH18OR1WUoFuyRvp\n" \
  "4It9A0mgFNcaFdi4IKOQCBqlzUv4+7JvUHsidCEhLkRER6EZGQ2P6nsGiK1q8xno\n" \
  "pftTYfDMhQKBgDc4ZSkMMwnU+yrT9e9CFj0JyhA3I7lVzo8F9Za2CTl9ty5M5ICO\n" \
  "enAjEVZSybpqXfbiVQ6BrLNcsZ6BKMoA0fTGXJ0wif5dmUUMnPWFJdtrXUtHGGp7\n" \
  "HMUAeKH2Iv1wpEwGOtv0upvoNeF0TmXFQHdC1v82dwW/ubs9AZ+6FpMPAoGBAKiN\n" \
  "J8cCVi5odyr9MBbP2gEsk/Gamvek7dQR1S9C42Of0hcUQiHw3wSbVCHku2esVU32\n" \
  "DedVAIYxFtfIMmuL7jE149Nr1eSmOzHC5Rg2HMUPxO+d3NK/UuQSvCdN1s2CmOqy\n" \
  "gOWouqktW34fFhpWt9jGXEv14RymGQrd5bqNYgTJAoGBAKDO/fPswKp3EJfk+8uu\n" \
  "FCcYToFgV/i4WUyTh7yPEUnpSudyfJuXr/5qSr+58kSVPhimgTQh9ZOmYZoZVejM\n" \
  "qUEIIn483TCA6CKnHKl/+z48GTL+UnvcWa/G296nrs5IQOUIl3/U+ps1AX6QaKhU\n" \
  "sFB99xPOcW+mqbkpDzPf8xDN\n" \
  "-----END PRIVATE KEY-----\n"

#define FUZZ_P256_PEM \
  "-----BEGIN EC PRIVATE KEY-----\n" \
  "MHcCAQEEIMJCrBWKEEPxosLis4XgXJGxjIjo/efmEfPppJa3K5c2oAoGCCqGSM49\n" \
  "AwEHoUQDQgAEkp2sb43fpbwgoTMLKcHqHG5FZubYMW2gPriwP1N8cWdeUi85krzh\n" \
  "2Xlq2veS4elKdcePv3NkU8aet0PJZF1I+Q==\n" \
  "-----END EC PRIVATE KEY-----\n"

#define FUZZ_P384_PEM \
  "-----BEGIN PRIVATE KEY-----\n" \
  "MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDBv6SksHK7uqqcoTO1r\n" \
  "qfqK3nPToQWGXdy3bV/tDI3OmgFqmudBXb4rpnmvWG/Jc0WhZANiAAROJ/SEUtmf\n" \
  "wcNZVZXnJebWI6Lu/TCwPcKKpteqNFQspgl+23tYUxx0HL+sE+sizvr00/OE2C7G\n" \
  "xrwtWSsR2LFexWHxbqFj6QHLtLDvZkmbgtZnROyNGUJiyjSwv0WNO0M=\n" \
  "-----END PRIVATE KEY-----\n"

#define FUZZ_P521_PEM \
  "-----BEGIN PRIVATE KEY-----\n" \
  "MIHuAgEAMBAGByqGSM49AgEGBSuBBAAjBIHWMIHTAgEBBEIAhqR/8++Xd1dww1hf\n" \
  "ofWrq6OoLzpBprBQmNprn3ZqNifLI49fh2Ld6BWNwdFT4gL2x/ZCiURA5jC5aVv6\n" \
  "tjlZ1NyhgYkDgYYABABBVLkelVwKsGLTUO6t8Vjy2uzol7JuTzTTjev1PfJ03R60\n" \
  "kjDf4imhUQ1tqDoTFkV36BScukTQgFCrGkYmk/aehAEcPeq6pxG0/0GoIugZAxPC\n" \
  "xonvPnwDh/noJB+OA0VVfDwPOrbniPH/3Igw3CcRng9wwf+ilcGB2SmALdKcbD6H\n" \
  "iA==\n" \
  "-----END PRIVATE KEY-----\n"

#define FUZZ_ED25519_PEM \
  "-----BEGIN PRIVATE KEY-----\n" \
  "MC4CAQAwBQYDK2VwBCIEIN8CVDgUrcjjIOYqX4RrkP8BhC10hR6D1jtdVHjcivj1\n" \
  "-----END PRIVATE KEY-----\n"

#define FUZZ_X25519_PEM \
  "-----BEGIN PRIVATE KEY-----\n" \
  "MC4CAQAwBQYDK2VuBCIEIJAjGX67VG0BYmzrOss5xZYivdr+rm3iYJdQhun81JBi\n" \
  "-----END PRIVATE KEY-----\n"

struct fuzz_key {
  const char *name;
  KrKeyFormat format;
  const char *text;
};

/* Signing keys, each with the algorithms it signs (NULL-ended). */
static const struct fuzz_signer {
  struct fuzz_key key;
  const char *algorithms[7];
} FUZZ_SIGNERS[] = {
    {{"hmac", KR_KEY_FORMAT_HEX, FUZZ_HMAC_HEX}, {"HS256", "HS384", "HS512"}},
    {{"rsa", KR_KEY_FORMAT_PEM, FUZZ_RSA_PEM}, {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}},
    {{"p256", KR_KEY_FORMAT_PEM, FUZZ_P256_PEM}, {"ES256"}},
    {{"p384", KR_KEY_FORMAT_PEM, FUZZ_P384_PEM}, {"ES384"}},
    {{"p521", KR_KEY_FORMAT_PEM, FUZZ_P521_PEM}, {"ES512"}},
    {{"ed25519", KR_KEY_FORMAT_PEM, FUZZ_ED25519_PEM}, {"EdDSA"}},
};

/* Encryption keys with the JWE algorithms they are used with; NULL names mean the key's defaults
 * when encrypting and every pair the key fits (but RSA1_5 and PBES2) when decrypting. */
static const struct fuzz_recipient {
  struct fuzz_key key;
  const char *alg;
  const char *enc;
} FUZZ_RECIPIENTS[] = {
    {{"aes128", KR_KEY_FORMAT_HEX, FUZZ_AES128_HEX}, NULL, NULL},
    {{"aes256", KR_KEY_FORMAT_HEX, FUZZ_AES256_HEX}, NULL, NULL},
    {{"rsa", KR_KEY_FORMAT_PEM, FUZZ_RSA_PEM}, NULL, NULL},
    {{"rsa1_5", KR_KEY_FORMAT_PEM, FUZZ_RSA_PEM}, "RSA1_5", "A128CBC-HS256"},
    {{"p256", KR_KEY_FORMAT_PEM, FUZZ_P256_PEM}, NULL, NULL},
    {{"x25519", KR_KEY_FORMAT_PEM, FUZZ_X25519_PEM}, NULL, NULL},
};

#define FUZZ_COUNT(table) (sizeof(table) / sizeof(table)[0])

static inline KrKey *import_key(const struct fuzz_key *key) {
  KrKey *handle = NULL;
  expect_status(key->name, kr_key_import(key->format, (const uint8_t *)key->text, strlen(key->text), &handle),
                ALLOW(KR_STATUS_OK));
  return handle;
}

#endif
