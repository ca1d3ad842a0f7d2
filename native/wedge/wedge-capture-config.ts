import { z } from 'zod';
import type { Clock } from '../../common/clock.js';
import { WedgeBurstDetector, type WedgeBurstDetectorOptions, type WedgeKey } from './wedge-burst-detector.js';
import { fullWidthBody, wedgeBodyChars, wedgeIdSchema, type WedgeIdConfig } from './wedge-id.js';

/** Shortest body CareShell accepts as a burst: shorter ones are too easily typed by a person. */
const MIN_BODY_FLOOR = 4;

/**
 * The default minLength for a reader that types this id: 6 keeps short human bursts out, but never more
 * than the shortest card body. Decimal fields get the floor, 4: readers often type card numbers without
 * leading zeros, so a 4-digit number must still be caught (numbers under 1000 need the reader's fixed-length
 * output, see docs/readers.md).
 */
function defaultMinLength(id: WedgeIdConfig): number {
  if (id.kind === 'wiegand-fields') return MIN_BODY_FLOOR;
  return Math.min(6, fullWidthBody(id).shortest.length);
}

/** 24 covers most ids with room for padding; never less than the longest card body. */
function defaultMaxLength(id: WedgeIdConfig): number {
  return Math.max(24, fullWidthBody(id).longest.length);
}

/** Policy for recognising a keyboard-wedge reader's bursts (shared by Electron key capture and hidraw). */
export const wedgeCaptureSchema = z
  .strictObject({
    /** Characters the reader types before / after the number (configured in the reader). */
    prefix: z.string().max(8).default(''),
    suffix: z.string().max(8).default(''),
    terminator: z.enum(['Enter', 'Tab', 'none']).default('Enter'),
    /** Longest gap between two keys of one burst; readers type a key every 2-16 ms. */
    maxInterKeyMs: z.number().int().min(5).max(100).default(35),
    /** Body length bounds (without prefix and suffix); defaults depend on `id` (defaultMinLength). */
    minLength: z.number().int().min(MIN_BODY_FLOOR).max(40).optional(),
    maxLength: z.number().int().min(MIN_BODY_FLOOR).max(40).optional(),
    id: wedgeIdSchema,
  })
  .superRefine((c, ctx) => {
    const minLength = c.minLength ?? defaultMinLength(c.id);
    const maxLength = c.maxLength ?? defaultMaxLength(c.id);
    const { shortest, longest } = fullWidthBody(c.id);
    if (
      c.id.kind === 'wiegand-fields' &&
      [c.id.delimiter, c.id.facilityDigits, c.id.fixedFacility].filter((v) => v !== undefined).length !== 1
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['id'],
        message:
          'set exactly one of delimiter, facilityDigits or fixedFacility (how the reader separates facility and card number)',
      });
      return;
    }
    if (minLength > shortest.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['minLength'],
        message:
          `minLength ${minLength} is more than the ${shortest.length} characters of a full ${shortest.what}, so such badges would ` +
          `never be caught and would be typed into the page; set minLength to at most ${shortest.length}, or leave it out (default ${defaultMinLength(c.id)})`,
      });
    }
    if (maxLength < longest.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxLength'],
        message: `maxLength ${maxLength} is less than the ${longest.length} characters of a full ${longest.what}, so such badges would be typed into the page; set maxLength to at least ${longest.length} or leave it out`,
      });
    }
    if (minLength > maxLength)
      ctx.addIssue({ code: 'custom', path: ['minLength'], message: 'minLength must not exceed maxLength' });
    if (c.terminator === 'none' && c.prefix.length + c.suffix.length === 0 && minLength < 6) {
      ctx.addIssue({
        code: 'custom',
        path: ['terminator'],
        message:
          "with terminator 'none', set a prefix or suffix, or a minLength of at least 6 (without a terminator a short burst cannot be told from typing)",
      });
    }
  })
  .transform((c) => ({
    ...c,
    minLength: c.minLength ?? defaultMinLength(c.id),
    maxLength: c.maxLength ?? defaultMaxLength(c.id),
  }));
export type WedgeCaptureConfig = z.infer<typeof wedgeCaptureSchema>;

/** Builds the detector a capture policy describes; `echoes` when released keys are replayed into the stream. */
export function createWedgeDetector(
  config: WedgeCaptureConfig,
  clock: Clock,
  onBurst: (body: string) => void,
  onRelease: (keys: WedgeKey[]) => void,
  echoes?: WedgeBurstDetectorOptions['echoes'],
): WedgeBurstDetector {
  return new WedgeBurstDetector({
    clock,
    pattern: {
      prefix: config.prefix,
      suffix: config.suffix,
      bodyChars: wedgeBodyChars(config.id),
      minBodyLength: config.minLength,
      maxBodyLength: config.maxLength,
    },
    terminator: config.terminator,
    maxInterKeyMs: config.maxInterKeyMs,
    onBurst,
    onRelease,
    ...(echoes ? { echoes } : {}),
  });
}
