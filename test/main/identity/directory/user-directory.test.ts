import { describe, expect, it } from 'vitest';
import { createBadgeHasher } from '../../../../main/identity/badge-hasher.js';
import { UserDirectory } from '../../../../main/identity/directory/user-directory.js';
import { MemoryKeyValueStore } from '../../../../main/identity/storage/key-value-store.js';

const hash = createBadgeHasher(new Uint8Array(32).fill(1));
const ana = { userId: 'u-ana', displayName: 'Ana', username: 'ana', roles: ['nurse'] };
const ben = { userId: 'u-ben', displayName: 'Ben', roles: ['er-physician'] };

describe('UserDirectory', () => {
  it('resolves an enrolled badge by keyed hash only, and stores no badge number', async () => {
    const store = new MemoryKeyValueStore();
    const directory = new UserDirectory(store, () => new Date('2026-01-01T08:00:00Z'));
    await directory.bind(hash('H10301:12:4711'), ana);
    expect(await directory.resolveBadge(hash('H10301:12:4711'))).toEqual({
      userId: 'u-ana',
      displayName: 'Ana',
      roles: ['nurse'],
    });
    expect(await directory.resolveBadge(hash('H10301:12:4712'))).toBeUndefined();
    for (const key of await store.list('')) {
      expect(key + Buffer.from((await store.read(key))!).toString()).not.toContain('4711');
    }
    await expect(directory.resolveBadge('H10301:12:4711')).rejects.toThrow(/64 lower-case hex/);
  });

  it('refuses a badge bound to another account, naming its holder', async () => {
    const directory = new UserDirectory(new MemoryKeyValueStore(), () => new Date());
    await directory.bind(hash('b1'), ana);
    await expect(directory.bind(hash('b1'), ben)).rejects.toMatchObject({
      code: 'badge-bound-to-other-account',
      message: expect.stringContaining('Ana'),
    });
    expect((await directory.resolveBadge(hash('b1')))?.userId).toBe('u-ana');
  });

  it('re-enrolling with a new badge unbinds the old one; unbind removes both records', async () => {
    const store = new MemoryKeyValueStore();
    const directory = new UserDirectory(store, () => new Date());
    await directory.bind(hash('old'), ana);
    expect(await directory.bind(hash('new'), ana)).toEqual({ replacedBadgeHash: hash('old') });
    expect(await directory.resolveBadge(hash('old'))).toBeUndefined();
    expect((await directory.resolveBadge(hash('new')))?.userId).toBe('u-ana');
    await directory.updateProfile('u-ana', { displayName: 'Ana L.', roles: ['nurse', 'charge-nurse'] });
    expect(await directory.resolveBadge(hash('new'))).toMatchObject({
      displayName: 'Ana L.',
      roles: ['nurse', 'charge-nurse'],
    });
    await directory.unbind('u-ana');
    expect(await store.list('')).toEqual([]);
  });

  it('a badge record whose account does not point back (crash between writes) resolves to nobody', async () => {
    const store = new MemoryKeyValueStore();
    const directory = new UserDirectory(store, () => new Date());
    await directory.bind(hash('b1'), ana);
    await store.write(`badge/${hash('b2')}`, Buffer.from(JSON.stringify({ v: 1, userId: 'u-ana' })));
    expect(await directory.resolveBadge(hash('b2'))).toBeUndefined();
  });

  it('keeps a sponsorship with the enrollment, reports its end at a tap, and lists sponsored accounts', async () => {
    const directory = new UserDirectory(new MemoryKeyValueStore(), () => new Date('2026-01-01T08:00:00Z'));
    const temporary = {
      sponsorUserId: 'u-charge',
      sponsorName: 'Chris',
      expiresAt: '2026-01-08T08:00:00.000Z',
      shift: { start: '07:00', end: '19:30' },
    };
    await directory.bind(hash('b1'), { ...ben, roles: ['locum'] }, temporary);
    await directory.bind(hash('b2'), ana);
    expect(await directory.resolveBadge(hash('b1'))).toEqual({
      userId: 'u-ben',
      displayName: 'Ben',
      roles: ['locum'],
      temporaryUntil: '2026-01-08T08:00:00.000Z',
    });
    expect((await directory.temporaryAccounts()).map((a) => [a.userId, a.temporary])).toEqual([['u-ben', temporary]]);
    // A re-enrollment without a sponsorship is permanent: the previous one does not carry over.
    await directory.bind(hash('b3'), ben);
    expect((await directory.account('u-ben'))?.temporary).toBeUndefined();
    expect(await directory.temporaryAccounts()).toEqual([]);
  });

  it('never writes an unenrolled account back: a profile update racing the unenrollment finds it gone', async () => {
    // Every order in which the two can start: the update first, or the unenrollment first.
    for (const updateFirst of [true, false]) {
      const directory = new UserDirectory(new MemoryKeyValueStore(), () => new Date());
      await directory.bind(hash('b1'), ana);
      const update = () => directory.updateProfile('u-ana', { displayName: 'Ana L.', roles: ['nurse'] });
      const unbind = () => directory.unbind('u-ana');
      await Promise.all(updateFirst ? [update(), unbind()] : [unbind(), update()]);
      expect(await directory.account('u-ana')).toBeUndefined();
      expect(await directory.resolveBadge(hash('b1'))).toBeUndefined();
    }
  });
});
