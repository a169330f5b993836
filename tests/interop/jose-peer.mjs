// Interop peer for tests/interop_jose.rs: an independent JOSE implementation (npm's `jose`)
// that verifies tokens krjwt made and signs tokens krjwt must accept.
//
// Reads one JSON job on stdin and prints one JSON result on stdout:
//   {
//     "verify": [{"token": "...", "jwk": {...public or oct...}, "alg": "ES256",
//                 "jwt": true,            // false: a compact JWS over arbitrary bytes
//                 "now": 1800000010,      // JWT only: the verification time (Unix seconds)
//                 "issuer": "...", "audience": "..."}],
//     "sign": [{"alg": "PS256", "pkcs8": "-----BEGIN PRIVATE KEY-----...", "payload": {...},
//               "kid": "..."}],           // or "jwk": {...oct...} for HMAC
//     "thumbprint": [{...jwk...}],
//     "decrypt": [{"token": "...", "jwk": {...private or oct...}, "alg": "RSA-OAEP", "enc": "A256GCM"}],
//     "encrypt": [{"jwk": {...public or oct...}, "alg": "ECDH-ES+A128KW", "enc": "A128CBC-HS256",
//                  "plaintext": "..."}]
//   }
// =>
//   {
//     "verified": [{"ok": true, "header": {...}, "payload": {...} | "text"} | {"ok": false, "error": "..."}],
//     "signed": [{"ok": true, "token": "...", "publicJwk": {...} | null} | {"ok": false, "error": "..."}],
//     "thumbprints": ["..."],
//     "decrypted": [{"ok": true, "header": {...}, "plaintext": "..."} | {"ok": false, "error": "..."}],
//     "encrypted": [{"ok": true, "token": "..."} | {"ok": false, "error": "..."}]
//   }
// Each entry is answered independently and in order; nothing is fetched over the network, and the
// time used for JWT claims comes from the job, so a run depends on its input only (ECDSA and
// RSA-PSS signatures are randomized by design).

import * as jose from 'jose';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function describe(error) {
  return `${error.code ?? error.name}: ${error.message}`;
}

async function verify(job) {
  const key = await jose.importJWK(job.jwk, job.alg);
  if (job.jwt === false) {
    const { payload, protectedHeader } = await jose.compactVerify(job.token, key, { algorithms: [job.alg] });
    return { ok: true, header: protectedHeader, payload: new TextDecoder().decode(payload) };
  }
  const options = { algorithms: [job.alg] };
  if (job.now !== undefined) options.currentDate = new Date(job.now * 1000);
  if (job.issuer !== undefined) options.issuer = job.issuer;
  if (job.audience !== undefined) options.audience = job.audience;
  const { payload, protectedHeader } = await jose.jwtVerify(job.token, key, options);
  return { ok: true, header: protectedHeader, payload };
}

async function sign(job) {
  let key;
  let publicJwk = null;
  if (job.pkcs8 !== undefined) {
    key = await jose.importPKCS8(job.pkcs8, job.alg, { extractable: true });
    publicJwk = await jose.exportJWK(key);
    for (const member of PRIVATE_MEMBERS) delete publicJwk[member];
  } else {
    key = await jose.importJWK(job.jwk, job.alg);
  }
  const header = { alg: job.alg, typ: 'JWT' };
  if (job.kid !== undefined) header.kid = job.kid;
  const token = await new jose.SignJWT(job.payload).setProtectedHeader(header).sign(key);
  return { ok: true, token, publicJwk };
}

// PBES2 passwords and other secrets are oct JWKs; jose wants their bytes.
async function jweKey(jwk, alg) {
  return jwk.kty === 'oct' ? jose.base64url.decode(jwk.k) : jose.importJWK(jwk, alg);
}

async function decrypt(job) {
  const key = await jweKey(job.jwk, job.alg);
  const { plaintext, protectedHeader } = await jose.compactDecrypt(job.token, key, {
    keyManagementAlgorithms: [job.alg],
    contentEncryptionAlgorithms: [job.enc],
    // krjwt encrypts with 600,000 PBES2 iterations (current PBKDF2-SHA256 guidance); jose's default
    // ceiling is 10,000.
    maxPBES2Count: 1_000_000,
  });
  return { ok: true, header: protectedHeader, plaintext: new TextDecoder().decode(plaintext) };
}

async function encrypt(job) {
  const key = await jweKey(job.jwk, job.alg);
  const token = await new jose.CompactEncrypt(new TextEncoder().encode(job.plaintext))
    .setProtectedHeader({ alg: job.alg, enc: job.enc })
    .encrypt(key);
  return { ok: true, token };
}

async function answer(entries, handler) {
  const results = [];
  for (const entry of entries ?? []) {
    try {
      results.push(await handler(entry));
    } catch (error) {
      results.push({ ok: false, error: describe(error) });
    }
  }
  return results;
}

try {
  const job = JSON.parse(await readStdin());
  const result = {
    verified: await answer(job.verify, verify),
    signed: await answer(job.sign, sign),
    thumbprints: await Promise.all((job.thumbprint ?? []).map((jwk) => jose.calculateJwkThumbprint(jwk, 'sha256'))),
    decrypted: await answer(job.decrypt, decrypt),
    encrypted: await answer(job.encrypt, encrypt),
  };
  process.stdout.write(JSON.stringify(result));
} catch (error) {
  process.stderr.write(`jose-peer: ${describe(error)}\n`);
  process.exit(2);
}
