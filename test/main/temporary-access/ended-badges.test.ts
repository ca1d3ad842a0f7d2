import { describe, expect, it } from 'vitest';
import { MemoryKeyValueStore } from '../../../main/identity/storage/key-value-store.js';
import { EndedBadges } from '../../../main/temporary-access/ended-badges.js';

const BADGE = 'e'.repeat(64);

describe('EndedBadges', () => {
  it('remembers an ended badge until refuseUntil, then forgets it entirely', async () => {
    const store = new MemoryKeyValueStore();
    const ended = new EndedBadges(store);
    const record = {
      userId: 'u-locum',
      expiresAt: '2026-01-08T08:00:00.000Z',
      refuseUntil: '2026-01-10T08:00:00.000Z',
    };
    await ended.record(BADGE, record);
    expect(await ended.lookup(BADGE, new Date('2026-01-09T08:00:00Z'))).toEqual({ v: 1, ...record });
    expect(await ended.lookup('f'.repeat(64), new Date('2026-01-09T08:00:00Z'))).toBeUndefined();
    expect(await ended.lookup(BADGE, new Date('2026-01-10T08:00:00Z'))).toBeUndefined();
    expect(await store.list('temporary-ended/')).toEqual([]);
  });

  it('takes only keyed badge hashes, never a badge number', async () => {
    await expect(new EndedBadges(new MemoryKeyValueStore()).lookup('H10301:12:4711', new Date())).rejects.toThrow(
      'Invalid badge hash.',
    );
  });
});
