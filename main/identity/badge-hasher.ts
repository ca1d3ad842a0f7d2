import { createHmac } from 'node:crypto';

/**
 * Badge ids are compared and stored only as keyed hashes (docs/design.md#readers): a leaked user store or
 * audit trail does not reveal badge numbers that could be cloned onto a card.
 */
export type BadgeHasher = (canonicalBadgeId: string) => string;

export function createBadgeHasher(installationKey: Uint8Array): BadgeHasher {
  if (installationKey.length < 32) {
    throw new Error('The badge hashing key must be at least 32 bytes; regenerate the installation key.');
  }
  const key = Buffer.from(installationKey);
  return (canonicalBadgeId) => createHmac('sha256', key).update(canonicalBadgeId, 'utf8').digest('hex');
}
