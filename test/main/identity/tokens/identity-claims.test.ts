import { describe, expect, it } from 'vitest';
import { readIdentityClaims } from '../../../../main/identity/tokens/identity-claims.js';

describe('readIdentityClaims', () => {
  it('prefers the Entra object id and reads roles from the configured claim', () => {
    expect(
      readIdentityClaims({ sub: 's', oid: 'o', name: 'Ana', roles: ['nurse', 'nurse'], auth_time: 10 }, 'roles'),
    ).toEqual({
      userId: 'o',
      displayName: 'Ana',
      username: undefined,
      roles: ['nurse'],
      authTimeMs: 10_000,
    });
    expect(
      readIdentityClaims({ sub: 's', preferred_username: 'ana', groups: 'nurse clinical' }, 'groups'),
    ).toMatchObject({
      userId: 's',
      displayName: 'ana',
      roles: ['nurse', 'clinical'],
    });
    expect(readIdentityClaims({ sub: 's' }, 'roles').roles).toEqual([]);
  });

  it('says which setting to check when the claims are unusable', () => {
    expect(() => readIdentityClaims({ name: 'x' }, 'roles')).toThrow(/usable subject/);
    expect(() => readIdentityClaims({ sub: 's', roles: 5 }, 'roles')).toThrow(/claim "roles" must be a list/);
  });
});
