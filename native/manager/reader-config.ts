import { z } from 'zod';
import { hidReportLayoutSchema } from '../drivers/hid-report-layout.js';
import { PCPROX_PRODUCT_ID, PCPROX_VENDOR_ID } from '../drivers/pcprox-protocol.js';
import { hidDeviceMatchSchema } from '../hid/hid-device-match.js';
import { keyboardWedgeCaptureSchema, wedgeCaptureSchema } from '../wedge/wedge-capture-config.js';

const readerId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, 'a reader id is 1-40 lower-case letters, digits, ".", "_" or "-"');
const description = z.string().min(1).max(80).optional();
const usbId = z.number().int().min(0).max(0xffff);
/**
 * Walk-away reader: lifting the badge off it locks the session. Off by default, so that with badge + PIN
 * the clinician can take the badge away before typing the PIN. Only for readers that can tell.
 */
const presence = z.boolean().default(false);
/** Keyboard-type readers only type; they never know when a card leaves. */
const noPresence = z
  .literal(false, {
    error:
      'a keyboard-wedge reader cannot tell when a badge is removed; use a pcprox, pcsc or hid-data reader for walk-away lock',
  })
  .optional();

/** One configured reader. `driver` picks the code that talks to it (docs/readers.md explains each). */
export const readerEntrySchema = z.discriminatedUnion('driver', [
  z.strictObject({
    driver: z.literal('pcprox'),
    id: readerId,
    description,
    vendorId: usbId.default(PCPROX_VENDOR_ID),
    productId: usbId.default(PCPROX_PRODUCT_ID),
    serialNumber: z.string().min(1).optional(),
    pollIntervalMs: z.number().int().min(50).max(2000).default(200),
    presence,
  }),
  hidDeviceMatchSchema.extend({
    driver: z.literal('hid-data'),
    id: readerId,
    description,
    layout: hidReportLayoutSchema,
    presence,
  }),
  z.strictObject({
    driver: z.literal('keyboard-wedge'),
    id: readerId,
    description,
    capture: keyboardWedgeCaptureSchema,
    presence: noPresence,
  }),
  hidDeviceMatchSchema.extend({
    driver: z.literal('hidraw-wedge'),
    id: readerId,
    description,
    reportId: z.number().int().min(1).max(255).nullable().default(null),
    capture: wedgeCaptureSchema,
    presence: noPresence,
  }),
  z.strictObject({
    driver: z.literal('pcsc'),
    id: readerId,
    description,
    readerName: z.string().min(1).max(120).optional(),
    presence,
  }),
  z.strictObject({ driver: z.literal('simulated'), id: readerId, description, presence }),
]);
export type ReaderEntry = z.infer<typeof readerEntrySchema>;

/**
 * The reader part of machine policy. The lead plugs this schema into the policy document; a policy that
 * fails it fails closed with the zod path of the wrong key. Strict objects throughout, so a misspelt key
 * (`debounceMS`) is named instead of silently dropped and replaced by its default.
 */
export const readerConfigSchema = z
  .strictObject({
    readers: z.array(readerEntrySchema).max(16).default([]),
    /** A badge seen again within this window (held on the reader, or read by two drivers) is one tap. */
    debounceMs: z.number().int().min(0).max(30_000).default(1500),
    /** Reopening a reader that failed: first delay, doubled up to the maximum. */
    reopen: z
      .strictObject({
        initialMs: z.number().int().min(50).max(10_000).default(500),
        maxMs: z.number().int().min(500).max(300_000).default(30_000),
      })
      .default({ initialMs: 500, maxMs: 30_000 }),
    /** Shown in the "no reader" banner: what people can do instead (e.g. "Sign in with your password"). */
    fallback: z.string().min(1).max(200).optional(),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.readers.forEach((reader, index) => {
      if (seen.has(reader.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['readers', index, 'id'],
          message: `reader id "${reader.id}" is used twice`,
        });
      }
      seen.add(reader.id);
      if (reader.driver === 'hid-data' && reader.presence && !reader.layout.emptyMeansRemoved) {
        ctx.addIssue({
          code: 'custom',
          path: ['readers', index, 'presence'],
          message:
            'this reader reports removal only with layout.emptyMeansRemoved: true; set that (if the reader sends an empty report when the card leaves) or drop presence',
        });
      }
    });
    if (config.reopen.initialMs > config.reopen.maxMs) {
      ctx.addIssue({ code: 'custom', path: ['reopen', 'initialMs'], message: 'initialMs must not exceed maxMs' });
    }
  });
export type ReaderConfig = z.infer<typeof readerConfigSchema>;

/** Parses reader policy; throws an Error naming each wrong key and what is expected. */
export function parseReaderConfig(input: unknown): ReaderConfig {
  const result = readerConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new Error(`The badge reader policy is invalid; fix these keys: ${problems.join('; ')}`);
}

/** The name shown for a reader when policy gives none. */
export function readerDescription(entry: ReaderEntry): string {
  if (entry.description !== undefined) return entry.description;
  switch (entry.driver) {
    case 'pcprox':
      return 'RF IDeas pcProx reader';
    case 'hid-data':
      return 'HID badge reader';
    case 'keyboard-wedge':
    case 'hidraw-wedge':
      return 'Keyboard-wedge badge reader';
    case 'pcsc':
      return 'Contactless (PC/SC) reader';
    case 'simulated':
      return 'Simulated badge reader';
  }
}
