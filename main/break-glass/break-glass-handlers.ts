import type { InvokeHandlers } from '../contract/contract-server.js';
import type { BreakGlass } from './break-glass-service.js';

type BreakGlassChannel =
  | 'breakglass:get-state'
  | 'breakglass:open'
  | 'breakglass:open-link'
  | 'breakglass:confirm'
  | 'breakglass:cosign-pin'
  | 'breakglass:cancel'
  | 'breakglass:extend'
  | 'breakglass:end';

const NO_EHR = {
  ok: false,
  message: 'This workstation has no EHR to grant emergency access (policy "ehr"): call IT.',
} as const;

/** The break-glass channels; without an EHR in policy every action says so and nothing is offered. */
export function breakGlassHandlers(breakGlass: () => BreakGlass | undefined): InvokeHandlers<BreakGlassChannel> {
  return {
    'breakglass:get-state': async () => breakGlass()?.state() ?? { offered: false },
    'breakglass:open': async () => (await breakGlass()?.open()) ?? NO_EHR,
    'breakglass:open-link': async ({ link }) => (await breakGlass()?.openLink(link)) ?? NO_EHR,
    'breakglass:confirm': async (request) => (await breakGlass()?.confirm(request)) ?? NO_EHR,
    'breakglass:cosign-pin': async ({ pin }) => (await breakGlass()?.cosignPin(pin)) ?? NO_EHR,
    'breakglass:cancel': async () => breakGlass()?.cancel() ?? NO_EHR,
    'breakglass:extend': async () => (await breakGlass()?.extend()) ?? NO_EHR,
    'breakglass:end': async () => (await breakGlass()?.endNow()) ?? NO_EHR,
  };
}
