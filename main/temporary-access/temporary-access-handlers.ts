import type { InvokeHandlers } from '../contract/contract-server.js';
import type { Sponsorship } from './sponsorship.js';

type TemporaryChannel =
  'temporary:get-sponsor' | 'temporary:sponsor-pin' | 'temporary:sponsor-confirm' | 'temporary:sponsor-cancel';

const NONE = { ok: false, message: 'No temporary enrollment is waiting for a sponsor.' } as const;

/** The sponsor dialog's channels (docs/temporary-access.md); without the capability nothing is ever asked. */
export function temporaryAccessHandlers(sponsorship: Sponsorship | undefined): InvokeHandlers<TemporaryChannel> {
  return {
    'temporary:get-sponsor': async () => sponsorship?.state() ?? null,
    'temporary:sponsor-pin': async ({ pin }) => (await sponsorship?.pin(pin)) ?? NONE,
    'temporary:sponsor-confirm': async (terms) => sponsorship?.confirm(terms) ?? NONE,
    'temporary:sponsor-cancel': async () => sponsorship?.cancel() ?? NONE,
  };
}
