import { useEffect, useState } from 'react';
import type { BreakGlassState, CareShellApi, EhrFrame } from '../../preload/contract';

export interface BreakGlassReceived {
  state: BreakGlassState;
  /** performance.now() when the state arrived: the grant's countdown is relative to it. */
  at: number;
}

/** Break-glass state and the harness's EHR frame, followed for as long as the app runs (not just while shown). */
export function useBreakGlass(api: CareShellApi): { breakGlass: BreakGlassReceived; frame: EhrFrame } {
  const [breakGlass, setBreakGlass] = useState<BreakGlassReceived>({ state: { offered: false }, at: 0 });
  const [frame, setFrame] = useState<EhrFrame>(null);
  useEffect(() => {
    let pushed = false;
    const offState = api.breakglass.onState((state) => {
      pushed = true;
      setBreakGlass({ state, at: performance.now() });
    });
    const offFrame = api.ehr.onFrame(setFrame);
    void api.breakglass
      .getState()
      .then((state) => !pushed && setBreakGlass({ state, at: performance.now() }))
      .catch(() => undefined);
    return () => {
      offState();
      offFrame();
    };
  }, [api]);
  return { breakGlass, frame };
}
