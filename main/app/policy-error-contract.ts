import type { SessionView } from '../../preload/contract.js';
import { ContractServer, type ContractLog } from './contract-handlers.js';

/**
 * What the renderer talks to when the machine policy is invalid: fail closed (DESIGN.md §9). No session
 * can start; the lock screen names every wrong key so IT can fix the file.
 */
export function policyErrorContract(workstation: string, problems: string, log: ContractLog): ContractServer {
  const view: SessionView = {
    screen: 'policy-error',
    workstation,
    profile: 'none',
    suspendedCount: 0,
    notice: { level: 'error', text: problems },
  };
  const refused = async () => ({ ok: false, message: 'This workstation is locked until its policy is corrected.' });
  return new ContractServer(
    {
      'session:get-view': async () => view,
      'session:activity': refused,
      'session:submit-pin': refused,
      'session:cancel-pin': refused,
      'session:forgot-pin': refused,
      'session:sign-in-with-password': refused,
      'session:request-step-up': refused,
      'session:prove-step-up': refused,
      'session:cancel-step-up': refused,
      'session:choose-pin': refused,
      'session:cancel-enrollment': refused,
      'session:lock-now': refused,
      'readers:get-status': async () => ({ readers: [] }),
      'identity:confirm-authenticator': refused,
      'identity:cancel-authenticator': refused,
    },
    log,
  );
}
