import { useEffect, useState } from 'react';
import type { CareShellApi, SponsorState } from '../../preload/contract';

/** The sponsor step of a temporary enrollment, followed for as long as the app runs. */
export function useSponsor(api: CareShellApi): SponsorState {
  const [state, setState] = useState<SponsorState>(null);
  useEffect(() => {
    let pushed = false;
    const off = api.temporary.onSponsor((next) => {
      pushed = true;
      setState(next);
    });
    void api.temporary
      .getSponsor()
      .then((first) => !pushed && setState(first))
      .catch(() => undefined);
    return off;
  }, [api]);
  return state;
}
