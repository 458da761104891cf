import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { ACCOUNT_ROLES, type AccountRole, type Actor } from '@coord/domain';
import { APP_CONFIG, type AppConfig, type OidcConfig } from '@coord/platform';

const AGENCY_CODE = /^[a-z][a-z0-9-]{1,63}$/;

/**
 * OIDC-compatible mode: the county's identity provider signs the access tokens (RS256 or ES256 only — never
 * `none`, never HS* with a public key as the secret), we verify them against its JWKS, and the issuer,
 * audience, expiry and not-before are checked. The JWKS is fetched on first use and cached by `kid`; an
 * unknown kid triggers one refetch (key rotation at the provider), rate-limited by jose's cooldown.
 *
 * The role and agency come from configured claims (COORD_OIDC_ROLE_CLAIM / COORD_OIDC_AGENCY_CLAIM): the
 * provider is the authority on who is office, agency, leadership or auditor. A token whose claims do not
 * map to exactly one known role, or an agency user without a well-formed agency, is refused (401).
 */
@Injectable()
export class OidcVerifier {
  private readonly oidc?: OidcConfig;
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.oidc = config.auth.oidc;
    if (this.oidc) this.jwks = createRemoteJWKSet(new URL(this.oidc.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 });
  }

  get enabled(): boolean {
    return this.oidc !== undefined;
  }

  async verify(token: string): Promise<Actor> {
    const oidc = this.oidc;
    if (!oidc || !this.jwks) throw new UnauthorizedException();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, {
        issuer: oidc.issuer,
        audience: oidc.audience,
        algorithms: ['RS256', 'ES256'],
        clockTolerance: oidc.clockToleranceSeconds,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch {
      throw new UnauthorizedException();
    }
    return actorFromClaims(payload, oidc);
  }
}

export function actorFromClaims(payload: JWTPayload, oidc: OidcConfig): Actor {
  const sub = payload.sub;
  const rawRole = payload[oidc.roleClaim];
  const roles = (Array.isArray(rawRole) ? rawRole : [rawRole]).filter((r): r is AccountRole => typeof r === 'string' && ACCOUNT_ROLES.includes(r as AccountRole));
  if (!sub || new Set(roles).size !== 1) throw new UnauthorizedException();
  const role = roles[0];
  const usernameClaim = payload[oidc.usernameClaim];
  const username = typeof usernameClaim === 'string' && usernameClaim.length > 0 && usernameClaim.length <= 128 ? usernameClaim : sub;
  const agencyClaim = payload[oidc.agencyClaim];
  if (role === 'agency') {
    if (typeof agencyClaim !== 'string' || !AGENCY_CODE.test(agencyClaim)) throw new UnauthorizedException();
    return { userId: sub, username, role, agency: agencyClaim };
  }
  return { userId: sub, username, role };
}
