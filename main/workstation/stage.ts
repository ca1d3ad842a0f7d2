import type { SessionView } from '../../preload/contract.js';
import type { Stage } from './workstation-host.js';

/** Every screen without a session on it, and every start problem: nothing of a clinician's is visible. */
export const LOCKED_STAGE: Stage = { locked: true, overlay: 'none' };

/**
 * The stage for a session view: the EHR view only on the active screens, and whatever the renderer must
 * draw above it decides how much of it is left. Anything that asks the clinician something (the idle
 * countdown, a step-up, a PIN or enrollment prompt, the authenticator setup, the break-glass dialog) is a
 * modal the EHR view may not cover; a notice or a break-glass countdown is a banner above it.
 */
export function stageOf(
  view: SessionView,
  shownSessionId: string | undefined,
  authenticatorSetupOpen: boolean,
  breakGlass: { dialog: boolean; banner: boolean } = { dialog: false, banner: false },
): Stage {
  if (view.screen !== 'active' && view.screen !== 'idle-warning') return LOCKED_STAGE;
  const modal =
    view.screen === 'idle-warning' ||
    view.stepUp !== undefined ||
    view.pinPrompt !== undefined ||
    view.enrollment !== undefined ||
    authenticatorSetupOpen ||
    breakGlass.dialog;
  return {
    locked: false,
    ...(shownSessionId ? { ehrSessionId: shownSessionId } : {}),
    // The break-glass countdown is a banner that stays above the EHR for as long as the grant runs.
    overlay: modal ? 'modal' : view.notice || breakGlass.banner ? 'banner' : 'none',
  };
}
