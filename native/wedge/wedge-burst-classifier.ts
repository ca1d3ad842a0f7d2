import { isGtinBarcode } from './barcode-shapes.js';
import { wedgeBodyFits, type WedgeIdConfig } from './wedge-id.js';

/** What decides whether a complete, fast burst is this reader's badge (the parts of the capture policy used). */
export interface BurstClassifierPolicy {
  prefix: string;
  suffix: string;
  id: WedgeIdConfig;
  /** What barcode scanners type on these workstations (whole-burst regular expressions): never a badge. */
  passThrough: readonly RegExp[];
  /** A burst of digits only that fits the id: a badge, or passed to the page like any number a scanner types. */
  digitsOnly: 'badge' | 'pass-through';
}

/**
 * A barcode scanner types as fast as a badge reader, so speed and length alone cannot tell them apart
 * (docs/readers.md#barcodes-are-not-badges). A burst framed by the reader's own prefix or suffix is the
 * reader's: a body it cannot map is still swallowed and reported as a reader error. An unframed burst is a
 * badge only if it fits the configured id exactly, is no known barcode (a GTIN with a valid check digit, a
 * `passThrough` pattern), and is not digits only, which any scanner could have typed, unless the policy says
 * digits-only bursts are badges.
 */
export function isBadgeBurst(policy: BurstClassifierPolicy, body: string): boolean {
  if (policy.prefix !== '' || policy.suffix !== '') return true;
  if (!wedgeBodyFits(policy.id, body)) return false;
  if (isGtinBarcode(body) || policy.passThrough.some((pattern) => pattern.test(body))) return false;
  return !/^[0-9]+$/.test(body) || policy.digitsOnly === 'badge';
}
