import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { messageOf } from '../../../common/errors.js';
import type { KeyProtector } from '../../app/installation-secrets.js';
import { writeFileAtomically } from '../atomic-file.js';
import type { ChainHead } from './segment-chain-scan.js';

/** The sealed head record's file, in the journal directory (segment listing ignores it). */
export const HEAD_FILE = 'journal-head.sealed';

const headSchema = z
  .object({
    seq: z.number().int().nonnegative(),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    at: z.string(),
  })
  .strict();

export type WitnessedHead = z.infer<typeof headSchema>;

export type HeadReading =
  { kind: 'none' } | { kind: 'head'; head: WitnessedHead } | { kind: 'unreadable'; reason: string };

/**
 * The journal's head (seq and chain hash) as last written at a checkpoint, sealed by the OS key store
 * (docs/audit.md#the-witnessed-head). Someone who can delete or cut segments but cannot use the key store
 * cannot make it agree with a shorter journal; the journal compares the two when it opens (head-check.ts).
 */
export class SealedHeadFile {
  readonly file: string;
  private pending?: ChainHead & { at: string };
  private writing: Promise<void> = Promise.resolve();
  private running = false;

  constructor(
    directory: string,
    private readonly protector: KeyProtector,
  ) {
    this.file = path.join(directory, HEAD_FILE);
  }

  async read(): Promise<HeadReading> {
    let sealed: Buffer;
    try {
      sealed = await readFile(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
      return { kind: 'unreadable', reason: `cannot read ${this.file} (${messageOf(error)})` };
    }
    try {
      const head = headSchema.parse(JSON.parse(this.protector.unprotect(sealed).toString('utf8')));
      return { kind: 'head', head };
    } catch (error) {
      return {
        kind: 'unreadable',
        reason: `${this.file} cannot be unsealed with ${this.protector.name} or is not a head record (${messageOf(error)})`,
      };
    }
  }

  /** Seals and stores `head` now (a crash leaves the old record or the new one). */
  async write(head: WitnessedHead): Promise<void> {
    const plain = Buffer.from(JSON.stringify({ seq: head.seq, hash: head.hash, at: head.at }), 'utf8');
    await writeFileAtomically(this.file, this.protector.protect(plain), { mode: 0o600 });
  }

  /**
   * Stores `head` in the background: the journal does not wait for it (three syncs per checkpoint would
   * slow every commit). Only the newest offered head is written; a write that fails is retried with the
   * next offer, so the record may lag the journal but never runs ahead of what is durable.
   */
  offer(head: WitnessedHead): void {
    this.pending = head;
    if (this.running) return;
    this.running = true;
    this.writing = this.drain();
  }

  /** Resolves once every offered head is written (or its write failed). */
  settled(): Promise<void> {
    return this.writing;
  }

  private async drain(): Promise<void> {
    for (let head = this.pending; head; head = this.pending) {
      this.pending = undefined;
      await this.write(head).catch(() => undefined);
    }
    this.running = false;
  }
}
