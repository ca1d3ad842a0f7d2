import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { messageOf } from '../../../common/errors.js';
import type { Sealer } from '../crypto/sealer.js';
import type { KeyValueStore } from '../storage/key-value-store.js';
import { userKey } from '../storage/user-key.js';

/** Storage key of a user's sealed cache; the file name does not reveal the account id. */
export function tokenCacheKey(userId: string): string {
  return `token-cache/${userKey(userId)}`;
}

export function tokenCacheContext(userId: string): string {
  return `careshell.token-cache.v1:${userId}`;
}

export interface SealedCachePluginOptions {
  store: KeyValueStore;
  sealer: Sealer;
  userId: string;
  /** Called (and awaited) when a stored cache could not be opened and was deleted. */
  onDiscard(reason: string): Promise<void>;
}

/**
 * msal-node cache plugin for ONE user's token cache, sealed at rest. The in-memory cache is reloaded from the
 * store before every access, so a wipe or a discarded (tampered) file takes effect at once, and a cache that
 * fails to open is deleted and reported rather than trusted or left to break every later sign-in.
 */
export function createSealedCachePlugin(options: SealedCachePluginOptions): ICachePlugin {
  const key = tokenCacheKey(options.userId);
  const context = tokenCacheContext(options.userId);
  return {
    async beforeCacheAccess(cacheContext: TokenCacheContext) {
      const sealed = await options.store.read(key);
      let json = '{}';
      if (sealed) {
        try {
          const text = Buffer.from(options.sealer.open(sealed, context)).toString('utf8');
          JSON.parse(text);
          json = text;
        } catch (error) {
          await options.store.delete(key);
          await options.onDiscard(messageOf(error));
        }
      }
      cacheContext.tokenCache.deserialize(json);
    },
    async afterCacheAccess(cacheContext: TokenCacheContext) {
      if (!cacheContext.cacheHasChanged) return;
      const json = cacheContext.tokenCache.serialize();
      await options.store.write(key, options.sealer.seal(Buffer.from(json, 'utf8'), context));
    },
  };
}
