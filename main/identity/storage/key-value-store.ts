/**
 * Where identity keeps its records (enrollments, PIN hashes, lockout state, sealed token caches). Injected so
 * the shell can put them under the app's data directory and tests can keep them in memory.
 * Keys are short paths of [a-z0-9._-] segments separated by '/'.
 */
export interface KeyValueStore {
  read(key: string): Promise<Uint8Array | undefined>;
  /** Resolves once the value is durable (a crash afterwards keeps either the old or the new value, whole). */
  write(key: string, value: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  /** Keys that start with the prefix, in no particular order. */
  list(prefix: string): Promise<string[]>;
}

const KEY_PATTERN = /^[a-z0-9._-]+(\/[a-z0-9._-]+)*$/;

export function assertStoreKey(key: string): void {
  if (!KEY_PATTERN.test(key) || key.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new Error(`Invalid storage key "${key}": use lower-case letters, digits, '.', '_', '-' and '/' only.`);
  }
}

export class MemoryKeyValueStore implements KeyValueStore {
  private readonly values = new Map<string, Uint8Array>();

  async read(key: string): Promise<Uint8Array | undefined> {
    assertStoreKey(key);
    const value = this.values.get(key);
    return value && new Uint8Array(value);
  }

  async write(key: string, value: Uint8Array): Promise<void> {
    assertStoreKey(key);
    this.values.set(key, new Uint8Array(value));
  }

  async delete(key: string): Promise<void> {
    assertStoreKey(key);
    this.values.delete(key);
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.values.keys()].filter((key) => key.startsWith(prefix));
  }
}
