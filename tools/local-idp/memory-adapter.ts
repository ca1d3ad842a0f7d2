import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAtMs: number | undefined;
}

/**
 * Storage for oidc-provider that belongs to one provider instance (the built-in memory adapter is a
 * module-wide singleton), and that can be searched by account so tests can revoke one user's refresh tokens.
 */
export class ProviderStore {
  private readonly entries = new Map<string, Entry>();

  private key(model: string, id: string): string {
    return `${model}:${id}`;
  }

  private live(key: string): AdapterPayload | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAtMs !== undefined && entry.expiresAtMs <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  /** Deletes every artefact of the given grants (tokens, codes) and the grants themselves. */
  revokeGrants(grantIds: ReadonlySet<string>): void {
    for (const [key, entry] of this.entries) {
      const grantId = entry.payload.grantId;
      const isGrant = key.startsWith('Grant:') && grantIds.has(key.slice('Grant:'.length));
      if (isGrant || (grantId !== undefined && grantIds.has(grantId))) this.entries.delete(key);
    }
  }

  /** Grant ids of every refresh token issued to the account. */
  refreshTokenGrantsOf(accountId: string): Set<string> {
    const grants = new Set<string>();
    for (const [key, entry] of this.entries) {
      if (key.startsWith('RefreshToken:') && entry.payload.accountId === accountId && entry.payload.grantId) {
        grants.add(entry.payload.grantId);
      }
    }
    return grants;
  }

  adapterFor(model: string): Adapter {
    return {
      upsert: async (id, payload, expiresIn) => {
        const expiresAtMs = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : undefined;
        this.entries.set(this.key(model, id), { payload: { ...payload }, expiresAtMs });
      },
      find: async (id) => this.live(this.key(model, id)),
      findByUid: async (uid) => {
        for (const [key, entry] of this.entries) {
          if (key.startsWith(`${model}:`) && entry.payload.uid === uid) return this.live(key);
        }
        return undefined;
      },
      findByUserCode: async (userCode) => {
        for (const [key, entry] of this.entries) {
          if (key.startsWith(`${model}:`) && entry.payload.userCode === userCode) return this.live(key);
        }
        return undefined;
      },
      consume: async (id) => {
        const payload = this.live(this.key(model, id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      destroy: async (id) => {
        this.entries.delete(this.key(model, id));
      },
      revokeByGrantId: async (grantId) => this.revokeGrants(new Set([grantId])),
    };
  }
}
