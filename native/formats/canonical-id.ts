import type { CardFormat } from '../badge-reader.js';
import type { WiegandCard } from './wiegand.js';

/**
 * Canonical badge ids (docs/design.md#readers): the same badge yields the same id on every reader and in every
 * reader mode. `H10301:<facility>:<number>`, `C1000-35:<company>:<card>`, `H10304:<facility>:<number>`,
 * `uid:<hex lowercase>`. Decimal numbers carry no leading zeros, so "00123" typed by one wedge reader and
 * 123 decoded from raw bits by another compare equal.
 */
export interface CanonicalBadge {
  badgeId: string;
  format: CardFormat;
}

export function canonicalFromWiegand(card: WiegandCard): CanonicalBadge {
  return { badgeId: `${card.format}:${card.facility}:${card.number}`, format: card.format };
}

/** ISO 14443 UIDs are 4, 7 or 10 bytes; other lengths are accepted between those bounds for odd cards. */
export const UID_MIN_BYTES = 4;
export const UID_MAX_BYTES = 10;

export function canonicalFromUid(uid: Uint8Array): CanonicalBadge {
  if (uid.length < UID_MIN_BYTES || uid.length > UID_MAX_BYTES) {
    throw new RangeError(`a card UID is ${UID_MIN_BYTES} to ${UID_MAX_BYTES} bytes, got ${uid.length}`);
  }
  return { badgeId: `uid:${Buffer.from(uid).toString('hex')}`, format: 'uid' };
}
