import { safeStorage } from 'electron';
import { messageOf } from '../../common/errors.js';
import type { KeyProtection } from '../workstation/workstation-host.js';

/**
 * The installation key at rest, encrypted by the OS (DPAPI, Keychain, libsecret / kwallet) through safeStorage.
 * On Linux without a keyring Chromium silently falls back to `basic_text`, a fixed password compiled into every
 * Electron: that protects nothing, so it is refused unless policy explicitly allows it (docs/shell.md#key-storage).
 * Never throws: every failure comes back as a reason.
 */
export function safeStorageProtector(options: { allowPlaintext: boolean }): KeyProtection {
  try {
    if (!safeStorage.isEncryptionAvailable()) {
      return {
        ok: false,
        reason:
          'The operating system offers no secret storage to protect CareShell keys (on Linux: no keyring such as ' +
          'gnome-keyring or kwallet is running for this account). Start one for the kiosk account, then restart CareShell.',
      };
    }
    const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : process.platform;
    if ((backend === 'basic_text' || backend === 'unknown') && !options.allowPlaintext) {
      return {
        ok: false,
        reason:
          `No keyring protects CareShell keys: Electron's secret storage backend is "${backend}" (a fixed, public ` +
          'password). Run gnome-keyring or kwallet for the kiosk account and restart CareShell, or, only where the ' +
          'disk itself is encrypted and IT accepts it, set hardening.allowPlaintextKeyStorage in the machine policy (docs/shell.md#key-storage).',
      };
    }
    return {
      ok: true,
      protector: {
        name: `Electron safeStorage (${backend})`,
        protect: (plain) => safeStorage.encryptString(plain.toString('base64')),
        unprotect: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
      },
    };
  } catch (error) {
    return { ok: false, reason: `The operating system's secret storage could not be used: ${messageOf(error)}` };
  }
}
