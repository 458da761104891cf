import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { ADMIN_PASSWORD, bearer, startTestApp, type TestApp } from './support/test-app';

/**
 * OIDC-compatible mode against a real JWKS endpoint: a tiny HTTP server on 127.0.0.1 serves the public keys
 * of an RS256 and an ES256 key pair made here, and the api verifies tokens signed with them — issuer,
 * audience, expiry and key id — and maps the role and agency claims. Local sign-in is off in this mode.
 */
jest.setTimeout(60_000);

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
type Key = KeyPair['privateKey'];

const ISSUER = 'https://idp.county.example/realms/coord';
const AUDIENCE = 'coord-api';

describe('OIDC mode (tokens of the county identity provider, verified against its JWKS)', () => {
  let t: TestApp;
  let jwks: Server;
  let rsa: KeyPair;
  let ec: KeyPair;
  let stranger: KeyPair;
  let jwksRequests = 0;

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    ec = await generateKeyPair('ES256');
    stranger = await generateKeyPair('RS256');
    const keys: JWK[] = [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ];
    jwks = createServer((req, res) => {
      jwksRequests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as AddressInfo;
    t = await startTestApp(undefined, {
      COORD_OIDC_ISSUER: ISSUER,
      COORD_OIDC_JWKS_URL: `http://127.0.0.1:${port}/protocol/openid-connect/certs`,
      COORD_OIDC_AUDIENCE: AUDIENCE,
      COORD_OIDC_ROLE_CLAIM: 'coord_role',
      COORD_OIDC_AGENCY_CLAIM: 'coord_agency',
    });
  });
  afterAll(async () => {
    await t.destroy();
    await new Promise((resolve) => jwks.close(resolve));
  });

  interface Options {
    key?: Key;
    alg?: 'RS256' | 'ES256';
    kid?: string;
    issuer?: string;
    audience?: string;
    expiresIn?: string | number;
    claims?: Record<string, unknown>;
  }
  const token = (o: Options = {}) =>
    new SignJWT({ preferred_username: 'zhang.san', coord_role: 'office', ...(o.claims ?? {}) })
      .setProtectedHeader({ alg: o.alg ?? 'RS256', kid: o.kid ?? 'rsa-1' })
      .setSubject('idp-user-1')
      .setIssuer(o.issuer ?? ISSUER)
      .setAudience(o.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(o.expiresIn ?? '5m')
      .sign(o.key ?? rsa.privateKey);
  const leads = async (jwt: string) => t.http().get('/api/leads').set(bearer(jwt));

  it('an RS256 token of the provider is accepted, and an ES256 one', async () => {
    expect((await leads(await token())).status).toBe(200);
    expect((await leads(await token({ key: ec.privateKey, alg: 'ES256', kid: 'ec-1' }))).status).toBe(200);
  });

  it('the role and agency come from the configured claims', async () => {
    const agencyToken = await token({ claims: { coord_role: 'agency', coord_agency: 'audit-bureau' } });
    expect((await leads(agencyToken)).status).toBe(200);
    // policy applies to the mapped role: an auditor reads, never writes
    const auditor = await token({ claims: { coord_role: ['auditor', 'unrelated-group'] } });
    expect((await leads(auditor)).status).toBe(200);
    expect((await t.http().post('/api/leads').set(bearer(auditor)).send({})).status).toBe(403);
  });

  it.each<[string, () => Promise<string>]>([
    ['a wrong issuer', () => token({ issuer: 'https://evil.example/' })],
    ['a wrong audience', () => token({ audience: 'another-app' })],
    ['an expired token', () => token({ expiresIn: Math.floor(Date.now() / 1000) - 120 })],
    ['an unknown kid', () => token({ kid: 'rotated-away' })],
    ['a key the provider does not publish, under a known kid', () => token({ key: stranger.privateKey })],
    ['no role claim', () => token({ claims: { coord_role: undefined } })],
    ['two roles', () => token({ claims: { coord_role: ['office', 'auditor'] } })],
    ['an agency role without an agency', () => token({ claims: { coord_role: 'agency' } })],
  ])('%s → 401', async (_label, make) => {
    const res = await leads(await make());
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('an HS256 token signed with anything (alg confusion) → 401', async () => {
    const forged = await new SignJWT({ coord_role: 'office' })
      .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
      .setSubject('x')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a-guessable-shared-secret-of-enough-length'));
    expect((await leads(forged)).status).toBe(401);
  });

  it('the JWKS was fetched from the test server (cached, refetched for an unknown kid)', () => {
    expect(jwksRequests).toBeGreaterThan(0);
  });

  it('local sign-in is off', async () => {
    const res = await t.http().post('/api/auth/login').send({ username: 'admin', password: ADMIN_PASSWORD }).expect(403);
    expect(res.body.code).toBe('local-sign-in-disabled');
  });
});
