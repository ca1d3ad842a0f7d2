import { useRef } from 'react';
import type { CareShellApi, EhrFrame as Frame } from '../../../preload/contract';

/** The harness page's own route the demo EHR's break-glass link goes through (main/harness/harness-server.ts). */
const LINK_PATH = '/ehr-link';

/**
 * Where the hospital's EHR is shown. In Electron the shell places the session's own EHR web view over this pane
 * (a per-session browser partition) and no frame is ever sent. In the harness the EHR is this iframe, signed in
 * by a one-time hand-over URL; it is unmounted the moment the session leaves the screen and hidden under modals.
 *
 * The EHR's restricted page links to a page of this origin carrying the careshell: break-glass link, so when the
 * frame lands there the link is read from it (same origin) and handed to main, which checks it. Nothing talks to
 * the EHR page itself.
 */
export function EhrFrame({ frame, api }: { frame: Frame; api: CareShellApi }) {
  const ref = useRef<HTMLIFrameElement>(null);
  const onLoad = () => {
    const inner = ref.current?.contentWindow;
    let here: URL;
    try {
      // Throws while the EHR's own (cross-origin) page is in the frame: that is the normal case.
      here = new URL(inner?.location.href ?? '');
    } catch {
      return;
    }
    if (here.origin !== window.location.origin || here.pathname !== LINK_PATH) return;
    const link = here.searchParams.get('link');
    inner?.history.back();
    if (link) void api.breakglass.openLink({ link });
  };
  return (
    <section className="ehr-pane ehr-frame-pane" data-testid="ehr-pane" aria-label="Electronic health record">
      {frame && (
        <iframe
          key={frame.key}
          ref={ref}
          src={frame.url}
          title="Electronic health record"
          data-testid="ehr-frame"
          hidden={frame.hidden}
          onLoad={onLoad}
          referrerPolicy="no-referrer"
        />
      )}
    </section>
  );
}
