import { canonicalFromUid, UID_MAX_BYTES, UID_MIN_BYTES, type CanonicalBadge } from '../formats/canonical-id.js';

/** PC/SC part 3 "Get Data" pseudo-APDU: the contactless card's UID, answered with UID + SW1 SW2. */
export const GET_UID_APDU = Buffer.from([0xff, 0xca, 0x00, 0x00, 0x00]);
/** Longest answer: a 10-byte UID plus the status word. */
export const GET_UID_RESPONSE_MAX = UID_MAX_BYTES + 2;

export type PcscUidResult = { ok: true; badge: CanonicalBadge } | { ok: false; reason: string };

/** Checks the status word 90 00 and the UID length. Reasons show the status word, never the UID. */
export function parseGetUidResponse(response: Uint8Array): PcscUidResult {
  if (response.length < 2) return { ok: false, reason: 'the reader returned no status word' };
  const sw1 = response[response.length - 2]!;
  const sw2 = response[response.length - 1]!;
  if (sw1 !== 0x90 || sw2 !== 0x00) {
    const sw = ((sw1 << 8) | sw2).toString(16).padStart(4, '0');
    return {
      ok: false,
      reason: `the card refused the UID request (status ${sw}; 6a81 means the reader or card does not support it)`,
    };
  }
  const uid = response.subarray(0, response.length - 2);
  if (uid.length < UID_MIN_BYTES || uid.length > UID_MAX_BYTES) {
    return {
      ok: false,
      reason: `the card returned a ${uid.length}-byte UID (expected ${UID_MIN_BYTES}-${UID_MAX_BYTES})`,
    };
  }
  return { ok: true, badge: canonicalFromUid(uid) };
}
