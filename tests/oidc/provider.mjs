// Throwaway OpenID Provider for tests (oidc-provider 9.x). NOT for production.
//
// Config (a JSON argument wins over env vars; the argument may be inline JSON or a file path):
//   node provider.mjs '{"issuer":"http://127.0.0.1:9000","port":9000,"clients":[...],"accounts":[...],"idTokenTtl":60}'
//   ISSUER=http://127.0.0.1:9000 PORT=9000 CLIENTS='[...]' ACCOUNTS='[...]' IDTOKEN_TTL=60 node provider.mjs
// clients:  [{"client_id","client_secret","redirect_uris":[...]}]   (any other client metadata passes through)
// accounts: [{"sub","email","email_verified", "name"?, "amr"?: ["pwd","mfa"], "acr"?: "..."}]
// Login: the /interaction/:uid page auto-logs-in the account whose sub (or email) equals the
// authorization request's `login_hint` and auto-grants consent. Without login_hint it shows one
// <button name="sub" value="SUB"> per account. Unknown login_hint -> error=access_denied to the RP.
// Prints "READY <issuer>" on stdout once listening; exits 0 on SIGTERM/SIGINT.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import Provider, { interactionPolicy } from 'oidc-provider';

function loadConfig() {
  let arg = {};
  const raw = process.argv[2];
  if (raw) arg = JSON.parse(raw.trim().startsWith('{') ? raw : fs.readFileSync(raw, 'utf8'));
  const env = process.env;
  const port = Number(arg.port ?? env.PORT ?? 0);
  return {
    port,
    issuer: arg.issuer ?? env.ISSUER ?? `http://127.0.0.1:${port}`,
    clients: arg.clients ?? JSON.parse(env.CLIENTS ?? '[]'),
    accounts: arg.accounts ?? JSON.parse(env.ACCOUNTS ?? '[]'),
    idTokenTtl: Number(arg.idTokenTtl ?? env.IDTOKEN_TTL ?? 3600),
  };
}

const cfg = loadConfig();
if (!cfg.port) throw new Error('PORT (or "port") is required');

const accounts = new Map(cfg.accounts.map((a) => [String(a.sub), a]));
const findByHint = (hint) => accounts.get(hint)
  || [...accounts.values()].find((a) => a.email && a.email === hint);

// Fresh RS256 signing key per process (no dev keys -> no "dev keys" warning).
const jwk = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
Object.assign(jwk, { kid: crypto.randomUUID(), alg: 'RS256', use: 'sig' });

// login_hint is authoritative: if an existing session belongs to another account, re-prompt login.
const policy = interactionPolicy.base();
policy.get('login').checks.push(new interactionPolicy.Check(
  'login_hint_mismatch',
  'login_hint does not match the authenticated subject',
  (ctx) => {
    const { oidc } = ctx;
    const hint = oidc.params.login_hint;
    if (!hint || !oidc.session.accountId || oidc.result?.login) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
    const acct = findByHint(hint);
    return acct && String(acct.sub) === oidc.session.accountId
      ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT;
  },
));

const acrValues = [...new Set(cfg.accounts.map((a) => a.acr).filter(Boolean))];

const provider = new Provider(cfg.issuer, {
  clients: cfg.clients.map((c) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    ...c,
  })),
  jwks: { keys: [jwk] },
  cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
  scopes: ['openid', 'email', 'profile'],
  claims: {
    // amr/acr/auth_time come from the login result (session), not findAccount; oidc-provider only
    // puts them in the ID token when requested (claims/acr_values/max_age) or mapped to a granted scope.
    openid: ['sub', 'amr', 'acr', 'auth_time'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
    sid: null,
    iss: null,
  },
  ...(acrValues.length ? { acrValues } : {}),
  conformIdTokenClaims: false, // put scope-requested claims (email, ...) into the ID token too
  pkce: { required: () => true }, // every client must send code_challenge (S256 is the only method in v9)
  ttl: { IdToken: cfg.idTokenTtl },
  features: { devInteractions: { enabled: false } },
  interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const a = accounts.get(String(id));
    if (!a) return undefined;
    return {
      accountId: String(a.sub),
      async claims() {
        return {
          sub: String(a.sub),
          email: a.email,
          email_verified: a.email_verified ?? false,
          name: a.name,
          preferred_username: a.preferred_username,
        };
      },
    };
  },
});

for (const ev of ['server_error', 'authorization.error', 'grant.error', 'introspection.error', 'userinfo.error']) {
  provider.on(ev, (ctx, err) => process.stderr.write(`[op] ${ev}: ${err?.error ?? ''} ${err?.error_description ?? err?.message ?? err}\n`));
}

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

async function handleInteraction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { params, prompt } = details;
  let hint = params.login_hint;
  if (req.method === 'POST') hint = (await readForm(req)).sub ?? hint;

  let result;
  if (!hint) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Test OP login</title><form method="post">${
      [...accounts.values()].map((a) => `<button type="submit" name="sub" value="${esc(a.sub)}">${esc(a.email ?? a.sub)}</button>`).join(' ')
    }</form>`);
    return;
  }
  const acct = findByHint(hint);
  if (!acct) {
    result = { error: 'access_denied', error_description: `unknown login_hint ${hint}` };
  } else {
    const accountId = String(acct.sub);
    // Auto-consent: grant everything requested (scopes, claims, resource scopes).
    let grant = details.grantId && details.session?.accountId === accountId
      ? await provider.Grant.find(details.grantId) : undefined;
    grant ??= new provider.Grant({ accountId, clientId: params.client_id });
    grant.addOIDCScope(params.scope);
    const d = prompt.details ?? {};
    if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(d.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    result = {
      login: {
        accountId,
        remember: false, // session cookie only
        ...(acct.amr ? { amr: acct.amr } : {}),
        ...(acct.acr ? { acr: acct.acr } : {}),
      },
      consent: { grantId },
    };
  }
  const returnTo = await provider.interactionResult(req, res, result, { mergeWithLastSubmission: false });
  res.writeHead(303, { location: returnTo, 'content-length': '0' });
  res.end();
}

const opCallback = provider.callback();
const server = http.createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    handleInteraction(req, res).catch((err) => {
      process.stderr.write(`[op] interaction error: ${err?.stack ?? err}\n`);
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`interaction error: ${err?.message ?? err}`);
    });
    return;
  }
  opCallback(req, res);
});

server.listen(cfg.port, '127.0.0.1', () => {
  process.stdout.write(`READY ${cfg.issuer}\n`);
});

function shutdown() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
