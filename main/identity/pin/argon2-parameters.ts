import { z } from 'zod';

/**
 * argon2id cost parameters for PIN hashes. Production uses the OWASP Password Storage Cheat Sheet minimum for
 * argon2id: m = 19 MiB (19456 KiB), t = 2 iterations, p = 1 lane; 32-byte output, 16-byte random salt per user.
 * A 4-12 digit PIN has little entropy, so the hash must be slow and the lockout does the rest. Tests inject
 * smaller costs to stay fast; `npm run bench:identity` measures verify time at these values.
 */
export const argon2ParametersSchema = z.object({
  memoryKiB: z
    .number()
    .int()
    .min(1024)
    .max(4 * 1024 * 1024),
  iterations: z.number().int().min(1).max(32),
  parallelism: z.number().int().min(1).max(16),
  outputBytes: z.number().int().min(16).max(64),
  saltBytes: z.number().int().min(16).max(64),
});

export type Argon2Parameters = z.infer<typeof argon2ParametersSchema>;

export const PRODUCTION_ARGON2_PARAMETERS: Argon2Parameters = Object.freeze({
  memoryKiB: 19_456,
  iterations: 2,
  parallelism: 1,
  outputBytes: 32,
  saltBytes: 16,
});
