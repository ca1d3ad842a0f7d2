import type { InvokeHandlers } from '../contract/contract-server.js';
import type { JustInTime } from './just-in-time-service.js';

type JustInTimeChannel = 'jit:get-state' | 'jit:open' | 'jit:submit' | 'jit:approver-decide' | 'jit:cancel' | 'jit:end';

const NO_EHR = {
  ok: false,
  message: 'This workstation has no EHR or no just-in-time policy (policy "ehr", "justInTime"): call IT.',
} as const;

/** The just-in-time channels; without an EHR and a `justInTime` section every action says so and nothing is offered. */
export function justInTimeHandlers(justInTime: () => JustInTime | undefined): InvokeHandlers<JustInTimeChannel> {
  return {
    'jit:get-state': async () => justInTime()?.state() ?? { offered: false },
    'jit:open': async () => (await justInTime()?.open()) ?? NO_EHR,
    'jit:submit': async (request) => (await justInTime()?.submit(request)) ?? NO_EHR,
    'jit:approver-decide': async (request) => (await justInTime()?.approverDecide(request)) ?? NO_EHR,
    'jit:cancel': async () => justInTime()?.cancel() ?? NO_EHR,
    'jit:end': async () => (await justInTime()?.endNow()) ?? NO_EHR,
  };
}
