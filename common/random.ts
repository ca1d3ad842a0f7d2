import { randomBytes, randomUUID } from 'node:crypto';

/** Randomness enters domain code only through this interface, so tests are reproducible. */
export interface Random {
  uuid(): string;
  bytes(length: number): Uint8Array;
}

export const systemRandom: Random = {
  uuid: () => randomUUID(),
  bytes: (length) => new Uint8Array(randomBytes(length)),
};
