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
  /** Entra Conditional Access authentication contexts this sign-in satisfied (`acrs`), if the provider says. */
  acrs?: string[];
}

/**
 * Group object id -> CareShell roles (policy identity.groupRoles): for tenants that put security groups in the
 * token (`groups`) instead of assigning app roles. Groups not listed give no role.
 */
export type GroupRoles = Readonly<Record<string, readonly string[]>>;

const rolesValue = z.union([z.array(z.string().min(1)), z.string()]).optional();
const stringList = (value: string[] | string | undefined) =>
  typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : (value ?? []);

const idTokenClaims = z.looseObject({
  sub: z.string().min(1),
  oid: z.string().min(1).optional(),
  name: z.string().optional(),
  preferred_username: z.string().optional(),
  auth_time: z.number().optional(),
  acrs: rolesValue,
  groups: rolesValue,
  /** Entra's group overage: too many groups to list, so the token points elsewhere instead. */
  hasgroups: z.boolean().optional(),
  _claim_names: z.looseObject({ groups: z.string().optional() }).optional(),
});

/**
 * Reads identity from ID token claims. Roles come from a configurable claim (Entra app roles use `roles`;
 * some tenants map groups or a custom claim instead) and may be an array or a space-separated string; with
 * `groupRoles`, the `groups` claim's ids add the roles policy maps them to.
 */
export function readIdentityClaims(claims: unknown, rolesClaim: string, groupRoles: GroupRoles = {}): IdentityClaims {
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
  const roles = stringList(rawRoles.data);
  const { sub, oid, name, preferred_username: username, auth_time: authTime, acrs } = parsed.data;
  if (Object.keys(groupRoles).length > 0) {
    if (parsed.data.hasgroups || parsed.data._claim_names?.groups !== undefined) {
      throw new Error(
        'The ID token has too many groups to list them (Entra group overage), so roles cannot be read from groups: in the ' +
          'app registration (Token configuration > groups claim) emit only "Groups assigned to the application", or ' +
          'assign app roles instead and remove identity.groupRoles.',
      );
    }
    for (const group of stringList(parsed.data.groups)) roles.push(...(groupRoles[group] ?? []));
  }
  return {
    userId: oid ?? sub,
    displayName: name ?? username ?? oid ?? sub,
    username,
    roles: [...new Set(roles)],
    authTimeMs: authTime === undefined ? undefined : authTime * 1000,
    ...(acrs === undefined ? {} : { acrs: stringList(acrs) }),
  };
}
