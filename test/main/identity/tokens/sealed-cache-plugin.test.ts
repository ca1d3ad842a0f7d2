import type { TokenCacheContext } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import { createAesGcmSealer } from '../../../../main/identity/crypto/sealer.js';
import { MemoryKeyValueStore } from '../../../../main/identity/storage/key-value-store.js';
import { createSealedCachePlugin, tokenCacheKey } from '../../../../main/identity/tokens/sealed-cache-plugin.js';
import { countingRandom } from '../identity-fixtures.js';

/** The part of msal's TokenCacheContext the plugin uses, recording what msal would see. */
function context(serialized: string, changed: boolean) {
  const seen: string[] = [];
  const ctx = {
    cacheHasChanged: changed,
    tokenCache: { deserialize: (s: string) => seen.push(s), serialize: () => serialized },
  };
  return { ctx: ctx as unknown as TokenCacheContext, seen };
}

describe('sealed msal cache plugin', () => {
  const sealer = createAesGcmSealer(new Uint8Array(32).fill(2), countingRandom());

  it("writes a sealed cache per user that only that user's plugin can read back", async () => {
    const store = new MemoryKeyValueStore();
    const discards: string[] = [];
    const ana = createSealedCachePlugin({
      store,
      sealer,
      userId: 'ana',
      onDiscard: async (r) => void discards.push(r),
    });
    await ana.afterCacheAccess(context('{"RefreshToken":{"k":{"secret":"rt-ana"}}}', true).ctx);
    expect(Buffer.from((await store.read(tokenCacheKey('ana')))!).toString('latin1')).not.toContain('rt-ana');
    const read = context('', false);
    await ana.beforeCacheAccess(read.ctx);
    expect(read.seen).toEqual(['{"RefreshToken":{"k":{"secret":"rt-ana"}}}']);

    // Ana's sealed cache copied into Ben's slot is refused and removed, not used.
    await store.write(tokenCacheKey('ben'), (await store.read(tokenCacheKey('ana')))!);
    const ben = createSealedCachePlugin({
      store,
      sealer,
      userId: 'ben',
      onDiscard: async (r) => void discards.push(r),
    });
    const benRead = context('', false);
    await ben.beforeCacheAccess(benRead.ctx);
    expect(benRead.seen).toEqual(['{}']);
    expect(discards).toHaveLength(1);
    expect(await store.read(tokenCacheKey('ben'))).toBeUndefined();
  });

  it('does not write when msal reports no change, and an absent cache loads as empty', async () => {
    const store = new MemoryKeyValueStore();
    const plugin = createSealedCachePlugin({ store, sealer, userId: 'ana', onDiscard: async () => {} });
    await plugin.afterCacheAccess(context('{"x":1}', false).ctx);
    expect(await store.list('')).toEqual([]);
    const read = context('', false);
    await plugin.beforeCacheAccess(read.ctx);
    expect(read.seen).toEqual(['{}']);
  });
});
