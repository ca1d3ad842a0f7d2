import { z } from 'zod';

/** Who a token belongs to, as the rest of CareShell needs it. */
export interface IdentityClaims {
  /** Stable account id: Entra `oid` (object id), else the OIDC `sub`. */
  userId: string;
  displayName: string;
  /** preferred_username, for login_hint on step-up and for people reading the audit trail. */
  username: string | undefined;
  roles: string[];
  /** When the user last actively authenticated at the provider (epoch ms), if the provider says. */
  authTimeMs: number | undefined;
}

const rolesValue = z.union([z.array(z.string().min(1)), z.string()]).optional();

const idTokenClaims = z.looseObject({
  sub: z.string().min(1),
  oid: z.string().min(1).optional(),
  name: z.string().optional(),
  preferred_username: z.string().optional(),
  auth_time: z.number().optional(),
});

/**
 * Reads identity from ID token claims. Roles come from a configurable claim (Entra app roles use `roles`;
 * some tenants map groups or a custom claim instead) and may be an array or a space-separated string.
 */
export function readIdentityClaims(claims: unknown, rolesClaim: string): IdentityClaims {
  const parsed = idTokenClaims.safeParse(claims);
  if (!parsed.success) {
    throw new Error(
      `The ID token lacks a usable subject (${parsed.error.issues[0]?.message}); check the app registration.`,
    );
  }
  const rawRoles = rolesValue.safeParse((claims as Record<string, unknown>)[rolesClaim]);
  if (!rawRoles.success) {
    throw new Error(`The ID token claim "${rolesClaim}" must be a list of role names; check the roles claim setting.`);
  }
  const roles = typeof rawRoles.data === 'string' ? rawRoles.data.split(/\s+/).filter(Boolean) : (rawRoles.data ?? []);
  const { sub, oid, name, preferred_username: username, auth_time: authTime } = parsed.data;
  return {
    userId: oid ?? sub,
    displayName: name ?? username ?? oid ?? sub,
    username,
    roles: [...new Set(roles)],
    authTimeMs: authTime === undefined ? undefined : authTime * 1000,
  };
}
