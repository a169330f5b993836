// An OpenID Provider for krjwt's tests: panva's oidc-provider on a loopback port, with one confidential
// client allowed the client_credentials grant and resource indicators, so that its access tokens are
// JWTs whose "aud" is the requested resource.
//
//   node provider.mjs --port <n|0> --key-dir <dir> --key-ids <kid>[,<kid>...] [--host 127.0.0.1]
//
// Signing keys are RSA (RS256), one file per kid in --key-dir, made on first use and reused after, so a
// restart with "--key-ids new,old" rotates the keys: the first one signs, every one is published.
// Prints "Listening on <issuer>" once it accepts requests, then one line per request:
// "<METHOD> <path> <status>"; GET /test/requests answers the number of requests per path (the tests count
// the key set fetches with it). Stops on SIGTERM/SIGINT.
//
// Test client: id "krjwt-tests", secret "krjwt-tests-secret" (client_secret_basic or _post); resources
// are any absolute URI, with the scope "read".

import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Provider from 'oidc-provider';

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'key-dir': { type: 'string' },
    'key-ids': { type: 'string' },
  },
});
if (!options['key-dir'] || !options['key-ids']) {
  console.error('usage: node provider.mjs --port <n|0> --key-dir <dir> --key-ids <kid>[,<kid>...]');
  process.exit(2);
}

// The private JWK of one kid: read from the key folder, or made and saved there.
function signingKey(kid) {
  const path = join(options['key-dir'], `${kid}.json`);
  if (existsSync(path)) {
    return JSON.parse(readFileSync(path, 'utf8'));
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  writeFileSync(path, JSON.stringify(jwk), { mode: 0o600 });
  return jwk;
}

const keys = options['key-ids'].split(',').map(signingKey);

// Binds first (port 0 asks the OS for a free port), then makes the provider for the issuer URL.
let handler = (_req, res) => { res.statusCode = 503; res.end(); };
const server = createServer((req, res) => handler(req, res));
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(Number(options.port), options.host, resolve);
});
const issuer = `http://${options.host}:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'krjwt-tests',
    client_secret: 'krjwt-tests-secret',
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    scope: 'read',
  }],
  jwks: { keys },
  scopes: ['read'],
  ttl: { ClientCredentials: 600 },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => undefined,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resource) => ({
        scope: 'read',
        audience: resource,
        accessTokenTTL: 600,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
});
// GET /test/requests: how many requests each path has had, for the tests (not counted itself).
const requests = {};
provider.use(async (ctx, next) => {
  if (ctx.method === 'GET' && ctx.path === '/test/requests') {
    ctx.body = requests;
    return;
  }
  await next();
  requests[ctx.path] = (requests[ctx.path] ?? 0) + 1;
  console.log(`${ctx.method} ${ctx.path} ${ctx.status}`);
});
handler = provider.callback();

console.log(`Listening on ${issuer}`);
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
