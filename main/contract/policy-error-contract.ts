import type { SessionView } from '../../preload/contract.js';
import { ContractServer, type ContractLog } from './contract-server.js';

/**
 * What the renderer talks to when the machine policy is invalid: the workstation fails closed. No session
 * can start; the lock screen names every wrong key so IT can fix the file. Only the channels the
 * policy-error screen answers need a handler: the contract server refuses every other one.
 */
export function policyErrorContract(
  workstation: string,
  problems: string,
  log: ContractLog,
): ContractServer<'policy-error'> {
  const view: SessionView = {
    screen: 'policy-error',
    workstation,
    profile: 'none',
    suspendedCount: 0,
    notice: { level: 'error', id: 'policyProblems', params: { problems } },
  };
  return new ContractServer(
    {
      'session:get-view': async () => view,
      'readers:get-status': async () => ({ readers: [] }),
      // Nothing is offered without a running workstation.
      'breakglass:get-state': async () => ({ offered: false }),
      'jit:get-state': async () => ({ offered: false }),
    },
    () => 'policy-error',
    log,
  );
}
