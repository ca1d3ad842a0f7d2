import { useEffect, useState } from 'react';
import type { CareShellApi, JustInTimeState } from '../../preload/contract';

export interface JustInTimeReceived {
  state: JustInTimeState;
  /** performance.now() when the state arrived: the grant's countdown is relative to it. */
  at: number;
}

/** Just-in-time state, followed for as long as the app runs (not just while shown). */
export function useJustInTime(api: CareShellApi): JustInTimeReceived {
  const [received, setReceived] = useState<JustInTimeReceived>({ state: { offered: false }, at: 0 });
  useEffect(() => {
    let pushed = false;
    const off = api.jit.onState((state) => {
      pushed = true;
      setReceived({ state, at: performance.now() });
    });
    void api.jit
      .getState()
      .then((state) => !pushed && setReceived({ state, at: performance.now() }))
      .catch(() => undefined);
    return off;
  }, [api]);
  return received;
}
