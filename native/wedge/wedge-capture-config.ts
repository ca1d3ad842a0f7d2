import { z } from 'zod';
import type { Clock } from '../../common/clock.js';
import { WedgeBurstDetector, type WedgeBurstDetectorOptions, type WedgeKey } from './wedge-burst-detector.js';
import { isBadgeBurst, type BurstClassifierPolicy } from './wedge-burst-classifier.js';
import { fullWidthBody, typesDigitsOnly, wedgeBodyChars, wedgeIdSchema, type WedgeIdConfig } from './wedge-id.js';

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

const wholeBurst = (pattern: string) => new RegExp(`^(?:${pattern})$`, 'u');

function compiles(pattern: string): boolean {
  try {
    wholeBurst(pattern);
    return true;
  } catch {
    return false;
  }
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
    /**
     * What barcode scanners type on these workstations, e.g. wristband MRNs: regular expressions, each matched
     * against a whole burst (without terminator). A matching burst always reaches the page.
     */
    passThrough: z
      .array(z.string().min(1).max(200).refine(compiles, 'not a valid regular expression'))
      .max(16)
      .default([]),
    /**
     * An unframed burst of digits only could as well be a scanned number: 'pass-through' (the default) gives it
     * to the page; 'badge' takes it for a badge (for workstations without barcode scanners, or a reader that
     * types only digits and cannot be given a prefix or suffix).
     */
    digitsOnly: z.enum(['pass-through', 'badge']).default('pass-through'),
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

/**
 * The policy of a reader whose keys reach the page (keyboard-wedge), where barcode scans arrive too: a reader
 * that types only digits needs a frame, or an explicit digitsOnly, or every one of its reads would go to the page.
 * (A hidraw-wedge reader is read from its own device node: nothing a scanner types can reach it.)
 */
export const keyboardWedgeCaptureSchema = wedgeCaptureSchema.superRefine((c, ctx) => {
  if (typesDigitsOnly(c.id) && c.prefix.length + c.suffix.length === 0 && c.digitsOnly === 'pass-through') {
    ctx.addIssue({
      code: 'custom',
      path: ['digitsOnly'],
      message:
        "this reader types only digits, as a barcode scanner does, so without a prefix or suffix every read would go to the page: set a prefix or suffix in the reader and here (recommended), or digitsOnly 'badge' (scanned GTINs and the passThrough patterns still reach the page)",
    });
  }
});

/** The capture policy's say on which complete bursts are badges, its patterns compiled. */
export function burstClassifierPolicy(config: WedgeCaptureConfig): BurstClassifierPolicy {
  return { ...config, passThrough: config.passThrough.map(wholeBurst) };
}

/**
 * Builds the detector a capture policy describes. `echoes` when the keys are a page's and released keys are
 * replayed into it: only then is a burst that is no badge (a barcode scan, wedge-burst-classifier.ts) given
 * to the page instead of being taken for one.
 */
export function createWedgeDetector(
  config: WedgeCaptureConfig,
  clock: Clock,
  onBurst: (body: string) => void,
  onRelease: (keys: WedgeKey[]) => void,
  echoes?: WedgeBurstDetectorOptions['echoes'],
): WedgeBurstDetector {
  const classifier = burstClassifierPolicy(config);
  return new WedgeBurstDetector({
    clock,
    pattern: {
      prefix: config.prefix,
      suffix: config.suffix,
      bodyChars: wedgeBodyChars(config.id),
      minBodyLength: config.minLength,
      maxBodyLength: config.maxLength,
      ...(echoes ? { accept: (body: string) => isBadgeBurst(classifier, body) } : {}),
    },
    terminator: config.terminator,
    maxInterKeyMs: config.maxInterKeyMs,
    onBurst,
    onRelease,
    ...(echoes ? { echoes } : {}),
  });
}
