import { z } from 'zod';
import type { Clock } from '../../common/clock.js';
import { WedgeBurstDetector, type WedgeKey } from './wedge-burst-detector.js';
import { wedgeBodyChars, wedgeIdSchema } from './wedge-id.js';

/** Policy for recognising a keyboard-wedge reader's bursts (shared by Electron key capture and hidraw). */
export const wedgeCaptureSchema = z
  .strictObject({
    /** Characters the reader types before / after the number (configured in the reader). */
    prefix: z.string().max(8).default(''),
    suffix: z.string().max(8).default(''),
    terminator: z.enum(['Enter', 'Tab', 'none']).default('Enter'),
    /** Longest gap between two keys of one burst; readers type a key every 2-16 ms. */
    maxInterKeyMs: z.number().int().min(5).max(100).default(35),
    /** Body length bounds (without prefix and suffix). A floor of 4 keeps short human bursts out. */
    minLength: z.number().int().min(4).max(40).default(6),
    maxLength: z.number().int().min(4).max(40).default(24),
    id: wedgeIdSchema,
  })
  .refine((c) => c.minLength <= c.maxLength, { message: 'minLength must not exceed maxLength', path: ['minLength'] })
  .refine((c) => c.terminator !== 'none' || c.prefix.length + c.suffix.length > 0 || c.minLength >= 6, {
    message: "with terminator 'none', set a prefix or suffix, or a minLength of at least 6",
    path: ['terminator'],
  });
export type WedgeCaptureConfig = z.infer<typeof wedgeCaptureSchema>;

/** Builds the detector a capture policy describes. */
export function createWedgeDetector(
  config: WedgeCaptureConfig,
  clock: Clock,
  onBurst: (body: string) => void,
  onRelease: (keys: WedgeKey[]) => void,
  replaysEcho = true,
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
    replaysEcho,
  });
}
