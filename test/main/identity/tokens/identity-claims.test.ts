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

  it('reads acrs, and roles from groups through policy, naming the setting on a group overage', () => {
    const groupRoles = { 'g-nurses': ['nurse', 'clinical'], 'g-it': ['it-admin'] };
    expect(
      readIdentityClaims({ sub: 's', groups: ['g-nurses', 'g-unknown'], acrs: ['c1'] }, 'roles', groupRoles),
    ).toMatchObject({ roles: ['nurse', 'clinical'], acrs: ['c1'] });
    expect(readIdentityClaims({ sub: 's', roles: ['clinical'], groups: ['g-it'] }, 'roles', groupRoles).roles).toEqual([
      'clinical',
      'it-admin',
    ]);
    // Without a mapping, groups give no roles.
    expect(readIdentityClaims({ sub: 's', groups: ['g-nurses'] }, 'roles').roles).toEqual([]);
    expect(readIdentityClaims({ sub: 's' }, 'roles').acrs).toBeUndefined();
    expect(() => readIdentityClaims({ sub: 's', _claim_names: { groups: 'src1' } }, 'roles', groupRoles)).toThrow(
      /group overage.*Groups assigned to the application/,
    );
  });
});
