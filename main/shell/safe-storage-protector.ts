import { safeStorage } from 'electron';
import type { KeyProtector } from '../app/installation-secrets.js';

/** The installation key at rest, encrypted by the OS (DPAPI, Keychain, libsecret) through safeStorage. */
export function safeStorageProtector(): KeyProtector {
  if (!safeStorage.isEncryptionAvailable()) {
    throw new Error(
      'The operating system offers no secret storage to protect CareShell keys (on Linux: no keyring such as ' +
        'gnome-keyring or kwallet is running for this account). Start one for the kiosk account, then restart CareShell.',
    );
  }
  return {
    name: `Electron safeStorage (${process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : process.platform})`,
    protect: (plain) => safeStorage.encryptString(plain.toString('base64')),
    unprotect: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  };
}
