import { WebContentsView, type BrowserWindow, type WebContents } from 'electron';
import { BREAK_GLASS_SCHEME } from '../../common/break-glass-link.js';
import { SESSION_BANNER_HEIGHT_PX, SESSION_HEADER_HEIGHT_PX } from '../../common/shell-layout.js';
import { messageOf } from '../../common/errors.js';
import type { NavigationGuard } from './navigation-guard.js';
import { lockedDownWebPreferences } from './web-preferences.js';

/** What the EHR views follow of the host's stage (docs/shell.md#overlays). */
export interface EhrStage {
  readonly locked: boolean;
  readonly ehrSessionId?: string | undefined;
  readonly overlay: 'none' | 'banner' | 'modal';
}

/**
 * One EHR web view per session, each in its own in-memory browser partition (no "persist:"), so one
 * clinician's EHR state can never appear in another's and nothing of it outlives the process: a crash or
 * power loss leaves no cookies or cached PHI on disk.
 *
 * A WebContentsView is drawn above the window's own page, so whatever the renderer draws over the EHR (idle
 * countdown, step-up, PIN prompts) would sit under it. The view therefore follows the stage: detached while a
 * modal overlay shows (the renderer's dialog is then on top and the EHR takes no input), placed below the banner
 * strip while a banner shows, and always below the session header. Locking detaches it at once but keeps its web
 * contents for the grace period; termination closes it and clears its partition.
 */
export class EhrViews {
  private readonly views = new Map<string, WebContentsView>();
  private attached: string | undefined;
  private overlay: EhrStage['overlay'] = 'none';
  private readonly layout = () => this.fit();

  constructor(
    private readonly window: BrowserWindow,
    private readonly options: {
      /** The EHR to load in a new view; undefined when policy has no EHR. */
      ehrUrl: () => string | undefined;
      guard: NavigationGuard;
      /** A careshell: break-glass link the EHR page followed (never loaded: the workstation checks and acts on it). */
      onBreakGlassLink(url: string): void;
      packaged: boolean;
      log: { info(message: string): void; warn(message: string): void };
    },
  ) {
    window.on('resize', this.layout);
  }

  present(stage: EhrStage): void {
    this.overlay = stage.overlay;
    const wanted = stage.locked || stage.overlay === 'modal' ? undefined : stage.ehrSessionId;
    if (this.attached && this.attached !== wanted) this.detach();
    if (wanted) {
      const view = this.views.get(wanted) ?? this.create(wanted);
      if (!view) return;
      if (this.attached !== wanted) {
        this.window.contentView.addChildView(view);
        this.attached = wanted;
        // Keys go back to the EHR the clinician returns to (typing into a note), not to the page under it.
        view.webContents.focus();
      }
    }
    this.fit();
  }

  /**
   * Loads a URL in a session's view, creating it (not shown until a stage names it): the sign-in hand-over first,
   * later a chart a break-glass grant opened or closed.
   */
  load(sessionId: string, url: string): void {
    const view = this.views.get(sessionId) ?? this.create(sessionId);
    view?.webContents
      .loadURL(url)
      .catch((error: unknown) => this.options.log.warn(`EHR view failed to load: ${messageOf(error)}`));
  }

  /**
   * Ends a session's view: detached, closed, then its partition cleared. Never rejects and never leaves the view
   * open: a failure to clear storage is logged (the partition is in memory and dies with the process anyway).
   */
  async terminate(sessionId: string): Promise<void> {
    const view = this.views.get(sessionId);
    if (!view) return;
    if (this.attached === sessionId) this.detach();
    this.views.delete(sessionId);
    const partition = view.webContents.session;
    try {
      if (!view.webContents.isDestroyed()) view.webContents.close();
    } catch (error) {
      this.options.log.warn(`EHR view of a session could not be closed: ${messageOf(error)}`);
    }
    try {
      await partition.clearStorageData();
      this.options.log.info('EHR view closed and its browser storage cleared');
    } catch (error) {
      this.options.log.warn(`EHR view closed, but its browser storage could not be cleared: ${messageOf(error)}`);
    }
  }

  dispose(): void {
    this.window.off('resize', this.layout);
  }

  private create(sessionId: string): WebContentsView | undefined {
    if (!this.options.ehrUrl()) return undefined;
    const view = new WebContentsView({
      webPreferences: lockedDownWebPreferences(
        { partition: `careshell-session-${sessionId}` },
        { packaged: this.options.packaged },
      ),
    });
    this.options.guard.mark(view.webContents, 'ehr');
    this.catchBreakGlassLinks(view.webContents);
    this.views.set(sessionId, view);
    // Nothing is loaded yet: the workstation signs the view in through the EHR's hand-over (load()).
    return view;
  }

  /** The EHR's restricted page links to careshell:break-glass?...: taken out of the navigation, handed to main. */
  private catchBreakGlassLinks(contents: WebContents): void {
    const intercept = (event: Electron.Event<{ url: string }>) => {
      if (!event.url.startsWith(BREAK_GLASS_SCHEME)) return;
      event.preventDefault();
      this.options.onBreakGlassLink(event.url);
    };
    contents.on('will-navigate', intercept);
    contents.on('will-frame-navigate', intercept);
  }

  private detach(): void {
    const view = this.attached ? this.views.get(this.attached) : undefined;
    if (view) this.window.contentView.removeChildView(view);
    this.attached = undefined;
    // The renderer's dialog or lock screen takes the keys: typing must not land in a page no longer shown.
    if (!this.window.isDestroyed()) this.window.webContents.focus();
  }

  private fit(): void {
    const view = this.attached ? this.views.get(this.attached) : undefined;
    if (!view) return;
    const [width = 0, height = 0] = this.window.getContentSize();
    const top = SESSION_HEADER_HEIGHT_PX + (this.overlay === 'banner' ? SESSION_BANNER_HEIGHT_PX : 0);
    view.setBounds({ x: 0, y: top, width, height: Math.max(0, height - top) });
  }
}
