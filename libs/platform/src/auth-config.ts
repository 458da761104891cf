import { ConfigError } from './app-config';

/**
 * Sign-in configuration (docs/security-authentication.md). Parsed from the env object loadConfig() hands
 * over — app-config.ts stays the one place that reads process.env; this file only keeps the auth part of
 * it together.
 */
export type SignInRole = 'office' | 'agency' | 'leadership' | 'auditor';
const SIGN_IN_ROLES: readonly SignInRole[] = ['office', 'agency', 'leadership', 'auditor'];

export interface OidcConfig {
  /** expected `iss` (COORD_OIDC_ISSUER) */
  issuer: string;
  /** the identity provider's JWKS document (COORD_OIDC_JWKS_URL); keys are fetched and cached by kid */
  jwksUrl: string;
  /** expected `aud` (COORD_OIDC_AUDIENCE) */
  audience: string;
  /** claim naming the role: office | agency | leadership | auditor, a string or an array holding exactly one (COORD_OIDC_ROLE_CLAIM, default coord_role) */
  roleClaim: string;
  /** claim naming an agency user's agency code (COORD_OIDC_AGENCY_CLAIM, default coord_agency) */
  agencyClaim: string;
  /** claim used as the username (COORD_OIDC_USERNAME_CLAIM, default preferred_username) */
  usernameClaim: string;
  /** clock skew tolerated on exp/nbf/iat (COORD_OIDC_CLOCK_TOLERANCE_SECONDS, default 30) */
  clockToleranceSeconds: number;
}

export interface AuthConfig {
  /** refresh token idle lifetime: each rotation issues a new one valid this long (COORD_REFRESH_TOKEN_TTL_SECONDS, default 12 h) */
  refreshTokenTtlSeconds: number;
  /** a sign-in session's absolute lifetime, however often it is refreshed (COORD_SESSION_MAX_SECONDS, default 7 days) */
  sessionMaxSeconds: number;
  /** roles that must use a TOTP second factor (COORD_TOTP_REQUIRED_ROLES, e.g. office,leadership; default none) */
  totpRequiredRoles: SignInRole[];
  /** issuer shown in authenticator apps (COORD_TOTP_ISSUER) */
  totpIssuer: string;
  loginThrottle: {
    /** COORD_LOGIN_THROTTLE_WINDOW_SECONDS, default 900 */
    windowSeconds: number;
    /** failed attempts per username per window before 429 (COORD_LOGIN_MAX_FAILURES_PER_ACCOUNT, default 5) */
    maxFailuresPerAccount: number;
    /** failed attempts per client address per window before 429 (COORD_LOGIN_MAX_FAILURES_PER_ADDRESS, default 20) */
    maxFailuresPerAddress: number;
  };
  /** set (COORD_OIDC_ISSUER + COORD_OIDC_JWKS_URL + COORD_OIDC_AUDIENCE): tokens come from the county's identity provider, local sign-in is off */
  oidc?: OidcConfig;
}

type Env = Record<string, string | undefined>;

function positiveInt(env: Env, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

function claimName(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[\w.:/-]{1,100}$/.test(raw)) throw new ConfigError(`${name} must be a claim name, got "${raw}"`);
  return raw;
}

function oidcConfig(env: Env): OidcConfig | undefined {
  const issuer = env.COORD_OIDC_ISSUER;
  const jwksUrl = env.COORD_OIDC_JWKS_URL;
  const audience = env.COORD_OIDC_AUDIENCE;
  if (!issuer && !jwksUrl && !audience) return undefined;
  if (!issuer || !jwksUrl || !audience) throw new ConfigError('OIDC mode needs all of COORD_OIDC_ISSUER, COORD_OIDC_JWKS_URL and COORD_OIDC_AUDIENCE');
  let url: URL;
  try {
    url = new URL(jwksUrl);
  } catch {
    throw new ConfigError(`COORD_OIDC_JWKS_URL must be a URL, got "${jwksUrl}"`);
  }
  // plain http only to this machine (tests, a sidecar); keys fetched over the network must be authenticated
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new ConfigError('COORD_OIDC_JWKS_URL must be https (http only for a loopback address)');
  return {
    issuer,
    jwksUrl,
    audience,
    roleClaim: claimName(env, 'COORD_OIDC_ROLE_CLAIM', 'coord_role'),
    agencyClaim: claimName(env, 'COORD_OIDC_AGENCY_CLAIM', 'coord_agency'),
    usernameClaim: claimName(env, 'COORD_OIDC_USERNAME_CLAIM', 'preferred_username'),
    clockToleranceSeconds: positiveInt(env, 'COORD_OIDC_CLOCK_TOLERANCE_SECONDS', 30, 0),
  };
}

export function authConfig(env: Env): AuthConfig {
  const rolesRaw = env.COORD_TOTP_REQUIRED_ROLES ?? '';
  const totpRequiredRoles = rolesRaw
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '') as SignInRole[];
  for (const r of totpRequiredRoles) {
    if (!SIGN_IN_ROLES.includes(r)) throw new ConfigError(`COORD_TOTP_REQUIRED_ROLES must list roles of ${SIGN_IN_ROLES.join(', ')}, got "${r}"`);
  }
  return {
    refreshTokenTtlSeconds: positiveInt(env, 'COORD_REFRESH_TOKEN_TTL_SECONDS', 12 * 3600, 60),
    sessionMaxSeconds: positiveInt(env, 'COORD_SESSION_MAX_SECONDS', 7 * 24 * 3600, 60),
    totpRequiredRoles,
    totpIssuer: env.COORD_TOTP_ISSUER || '反腐败协调小组工作平台',
    loginThrottle: {
      windowSeconds: positiveInt(env, 'COORD_LOGIN_THROTTLE_WINDOW_SECONDS', 15 * 60, 1),
      maxFailuresPerAccount: positiveInt(env, 'COORD_LOGIN_MAX_FAILURES_PER_ACCOUNT', 5, 1),
      maxFailuresPerAddress: positiveInt(env, 'COORD_LOGIN_MAX_FAILURES_PER_ADDRESS', 20, 1),
    },
    oidc: oidcConfig(env),
  };
}
