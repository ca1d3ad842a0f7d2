import { describe, expect, it } from 'vitest';
import { KeyedSerial } from '../../../../main/identity/storage/keyed-serial.js';

/** A promise and the function that settles it: the test decides when each operation finishes. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('KeyedSerial', () => {
  it("runs one key's operations in call order, each after the previous ended, and other keys beside them", async () => {
    const serial = new KeyedSerial();
    const log: string[] = [];
    const first = gate();
    const a1 = serial.run('ana', async () => {
      log.push('ana 1 start');
      await first.opened;
      log.push('ana 1 end');
    });
    const a2 = serial.run('ana', async () => void log.push('ana 2'));
    const b1 = serial.run('ben', async () => void log.push('ben 1'));
    await b1;
    expect(log).toEqual(['ana 1 start', 'ben 1']);
    first.open();
    await Promise.all([a1, a2]);
    expect(log).toEqual(['ana 1 start', 'ben 1', 'ana 1 end', 'ana 2']);
  });

  it('goes on after a failed operation, and hands each caller its own result or error', async () => {
    const serial = new KeyedSerial();
    const failed = serial.run('ana', () => Promise.reject(new Error('disk full')));
    const next = serial.run('ana', async () => 'saved');
    await expect(failed).rejects.toThrow('disk full');
    await expect(next).resolves.toBe('saved');
  });
});
