import { z } from 'zod';
import { readRecord, writeRecord } from '../identity/storage/json-records.js';
import type { KeyValueStore } from '../identity/storage/key-value-store.js';

const endedSchema = z.object({
  v: z.literal(1),
  /** Whose sponsorship it was: for the audit of a refusal only (name, PIN and tokens are gone). */
  userId: z.string().min(1),
  expiresAt: z.iso.datetime(),
  /** Until when the badge is refused with the plain message; afterwards it is simply unknown again. */
  refuseUntil: z.iso.datetime(),
});
export type EndedBadge = z.infer<typeof endedSchema>;

/**
 * Badges of temporary staff whose sponsorship ended and whose enrollment was erased: for a few days a tap of one
 * says "Your temporary access ended on <date>" instead of starting a new enrollment (policy
 * temporaryAccess.refuseEndedBadgeDays). Keyed by the badge's keyed hash; nothing else about the person is kept.
 */
export class EndedBadges {
  constructor(private readonly store: KeyValueStore) {}

  async record(badgeHash: string, ended: Omit<EndedBadge, 'v'>): Promise<void> {
    await writeRecord(this.store, this.key(badgeHash), { v: 1, ...ended });
  }

  /** The ended sponsorship of this badge while it is still refused, else undefined (a stale record is dropped). */
  async lookup(badgeHash: string, now: Date): Promise<EndedBadge | undefined> {
    const key = this.key(badgeHash);
    const ended = await readRecord(this.store, key, endedSchema, 'ended temporary badge').catch(() => undefined);
    if (!ended) return undefined;
    if (Date.parse(ended.refuseUntil) > now.getTime()) return ended;
    await this.store.delete(key);
    return undefined;
  }

  private key(badgeHash: string): string {
    if (!/^[0-9a-f]{64}$/.test(badgeHash)) throw new Error('Invalid badge hash.');
    return `temporary-ended/${badgeHash}`;
  }
}
