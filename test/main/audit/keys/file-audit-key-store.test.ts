import { createHash, generateKeyPairSync } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keyIdOf, normalizeFingerprint } from '../../../../main/audit/keys/audit-key-store.js';
import { FileAuditKeyStore } from '../../../../main/audit/keys/file-audit-key-store.js';
import { testProtector } from '../support/journal-fixture.js';

let root: string | undefined;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = undefined;
});

async function keyDirectory(): Promise<string> {
  root = await mkdtemp(path.join(tmpdir(), 'careshell-audit-keys-'));
  return path.join(root, 'audit-keys');
}

describe('FileAuditKeyStore', () => {
  it('keeps the private key sealed by the protector, and the same key across restarts', async () => {
    const directory = await keyDirectory();
    const protector = testProtector();
    const key = await new FileAuditKeyStore({ directory, protector }).signingKey();
    const sealed = await readFile(path.join(directory, 'audit-signing-key.sealed'));
    const der = key.privateKey.export({ format: 'der', type: 'pkcs8' });
    expect(sealed.includes(der.subarray(-32))).toBe(false);
    expect(sealed.toString('latin1')).not.toContain('PRIVATE KEY');
    expect(protector.unprotect(sealed)).toEqual(der);
    if (process.platform !== 'win32')
      expect((await stat(path.join(directory, 'audit-signing-key.sealed'))).mode & 0o777).toBe(0o600);
    expect((await readdir(directory)).sort()).toEqual([`${key.keyId}.pub.pem`, 'audit-signing-key.sealed'].sort());

    const again = await new FileAuditKeyStore({ directory, protector }).signingKey();
    expect(again.keyId).toBe(key.keyId);
    // Only the start that made the key says so: a later start without a journal is a deleted journal.
    expect([key.created, again.created]).toEqual([true, false]);
    const spki = key.publicKey.export({ format: 'der', type: 'spki' });
    expect(again.fingerprint).toBe(createHash('sha256').update(spki).digest('hex'));
    expect(again.fingerprint.startsWith(again.keyId)).toBe(true);
    expect([...(await new FileAuditKeyStore({ directory, protector }).publicKeys()).keys()]).toEqual([key.keyId]);
  });

  it('refuses a sealed key its protector cannot open, names the file and what to do, and leaves it as it is', async () => {
    const directory = await keyDirectory();
    await new FileAuditKeyStore({ directory, protector: testProtector() }).signingKey();
    const before = await readFile(path.join(directory, 'audit-signing-key.sealed'));
    await expect(
      new FileAuditKeyStore({ directory, protector: testProtector('another keyring') }).signingKey(),
    ).rejects.toThrow(
      new RegExp(
        `The audit signing key ${path.join(directory, 'audit-signing-key.sealed')} cannot be unlocked with another keyring .*Restore it from backup, or remove it`,
      ),
    );
    expect(await readFile(path.join(directory, 'audit-signing-key.sealed'))).toEqual(before);
  });

  it('seals a plaintext key left by an earlier version under the same key id and removes the plain file', async () => {
    const directory = await keyDirectory();
    await mkdir(directory, { recursive: true });
    const old = generateKeyPairSync('ed25519');
    await writeFile(
      path.join(directory, 'audit-signing-key.pem'),
      old.privateKey.export({ format: 'pem', type: 'pkcs8' }),
      { mode: 0o600 },
    );
    const protector = testProtector();
    const key = await new FileAuditKeyStore({ directory, protector }).signingKey();
    expect(key.keyId).toBe(keyIdOf(old.publicKey));
    expect((await readdir(directory)).sort()).toEqual([`${key.keyId}.pub.pem`, 'audit-signing-key.sealed'].sort());
    expect(protector.unprotect(await readFile(path.join(directory, 'audit-signing-key.sealed')))).toEqual(
      old.privateKey.export({ format: 'der', type: 'pkcs8' }),
    );
  });

  it.skipIf(process.platform === 'win32')(
    'refuses a plaintext key that other users could read instead of sealing it',
    async () => {
      const directory = await keyDirectory();
      await mkdir(directory, { recursive: true });
      const file = path.join(directory, 'audit-signing-key.pem');
      await writeFile(file, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
      await chmod(file, 0o644);
      await expect(new FileAuditKeyStore({ directory, protector: testProtector() }).signingKey()).rejects.toThrow(
        `Run "chmod 600 ${file}"`,
      );
      expect(await readdir(directory)).toEqual(['audit-signing-key.pem']);
    },
  );

  it('gives two processes starting at once the same key', async () => {
    const directory = await keyDirectory();
    const protector = testProtector();
    const stores = [0, 1].map(
      () =>
        new FileAuditKeyStore({ directory, protector, generateKey: () => generateKeyPairSync('ed25519').privateKey }),
    );
    const [a, b] = await Promise.all(stores.map((store) => store.signingKey()));
    expect(a!.keyId).toBe(b!.keyId);
    expect((await readdir(directory)).sort()).toEqual([`${a!.keyId}.pub.pem`, 'audit-signing-key.sealed'].sort());
  });
});

describe('normalizeFingerprint', () => {
  it('takes a fingerprint as people write it down, and nothing else', () => {
    const hex = '3b1f'.repeat(16);
    for (const written of [hex, hex.toUpperCase(), hex.match(/../g)!.join(':'), `SHA256:${hex}`, ` ${hex}\n`])
      expect(normalizeFingerprint(written), written).toBe(hex);
    for (const wrong of [hex.slice(0, 32), `${hex}00`, 'g'.repeat(64), ''])
      expect(normalizeFingerprint(wrong), wrong).toBeUndefined();
  });
});
