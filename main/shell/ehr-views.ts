import { WebContentsView, type BrowserWindow } from 'electron';
import { lockedDownWebPreferences } from './web-preferences.js';

/** The renderer's session header is this tall; the EHR view fills the window below it. */
const HEADER_HEIGHT = 76;

/**
 * One EHR web view per session, each in its own in-memory browser partition (no "persist:"), so one
 * clinician's EHR state can never appear in another's and nothing of it outlives the process: a crash or
 * power loss leaves no cookies or cached PHI on disk. Locking detaches the view (PHI gone from the screen at
 * once) but keeps its web contents alive for the grace period; termination clears the partition and closes it.
 */
export class EhrViews {
  private readonly views = new Map<string, WebContentsView>();
  private shown: string | undefined;
  private readonly layout = () => this.fit();

  constructor(
    private readonly window: BrowserWindow,
    private readonly ehrUrl: string,
    private readonly log: { warn(message: string): void },
  ) {
    window.on('resize', this.layout);
  }

  show(sessionId: string): void {
    let view = this.views.get(sessionId);
    if (!view) {
      view = new WebContentsView({
        webPreferences: lockedDownWebPreferences({ partition: `careshell-session-${sessionId}` }),
      });
      this.views.set(sessionId, view);
      view.webContents
        .loadURL(this.ehrUrl)
        .catch((error: unknown) => this.log.warn(`EHR view failed to load: ${(error as Error).message}`));
    }
    if (this.shown && this.shown !== sessionId) this.hide(this.shown);
    this.window.contentView.addChildView(view);
    this.shown = sessionId;
    this.fit();
  }

  hide(sessionId: string): void {
    const view = this.views.get(sessionId);
    if (view) this.window.contentView.removeChildView(view);
    if (this.shown === sessionId) this.shown = undefined;
  }

  async terminate(sessionId: string): Promise<void> {
    this.hide(sessionId);
    const view = this.views.get(sessionId);
    this.views.delete(sessionId);
    if (!view) return;
    await view.webContents.session.clearStorageData();
    view.webContents.close();
  }

  dispose(): void {
    this.window.off('resize', this.layout);
  }

  private fit(): void {
    if (!this.shown) return;
    const [width = 0, height = 0] = this.window.getContentSize();
    this.views
      .get(this.shown)
      ?.setBounds({ x: 0, y: HEADER_HEIGHT, width, height: Math.max(0, height - HEADER_HEIGHT) });
  }
}
