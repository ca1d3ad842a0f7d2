import { beforeEach, describe, expect, it, vi } from 'vitest';
import { safeStorageProtector } from '../../main/shell/safe-storage-protector.js';
import { resetFakeElectron, safeStorage } from './support/fake-electron.js';

vi.mock('electron', () => import('./support/fake-electron.js'));

beforeEach(() => resetFakeElectron());
const onLinux = process.platform === 'linux';

describe('safeStorageProtector: the installation key only under a real OS keyring', () => {
  it('protects and unprotects through safeStorage when a keyring is there', () => {
    const result = safeStorageProtector({ allowPlaintext: false });
    if (!result.ok) throw new Error(result.reason);
    const sealed = result.protector.protect(Buffer.from('key'));
    expect(result.protector.unprotect(sealed).toString()).toBe('key');
  });

  it.runIf(onLinux)('refuses the basic_text backend (a fixed public password) with what IT must do', () => {
    safeStorage.backend = 'basic_text';
    const result = safeStorageProtector({ allowPlaintext: false });
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.reason).toMatch(
      /basic_text[\s\S]*gnome-keyring or kwallet[\s\S]*allowPlaintextKeyStorage/,
    );
  });

  it.runIf(onLinux)('accepts basic_text only when policy explicitly allows it, and says so in its name', () => {
    safeStorage.backend = 'basic_text';
    const result = safeStorageProtector({ allowPlaintext: true });
    expect(result.ok && result.protector.name).toBe('Electron safeStorage (basic_text)');
  });

  it('no secret storage at all is a refusal, not a throw', () => {
    safeStorage.available = false;
    expect(safeStorageProtector({ allowPlaintext: true })).toMatchObject({ ok: false, reason: /no secret storage/ });
  });

  it('a secret service that throws is a refusal, not a throw', () => {
    safeStorage.failure = new Error('D-Bus: org.freedesktop.secrets not provided');
    expect(safeStorageProtector({ allowPlaintext: false })).toMatchObject({
      ok: false,
      reason: /could not be used: D-Bus: org\.freedesktop\.secrets not provided/,
    });
  });
});
