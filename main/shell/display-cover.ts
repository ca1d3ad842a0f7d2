import { BrowserWindow, screen, type Display } from 'electron';
import { lockedDownWebPreferences } from './web-preferences.js';

/**
 * Overlays often cover only the primary display (docs/shell.md#kiosk). While locked, every other display gets
 * an opaque, focus-less cover window, and the main window stays on top of everything; covers are rebuilt whenever
 * displays are added, removed or moved. A new DisplayCover starts locked and covers at once: the first frame of
 * a start, and every start that fails, is covered.
 */
export class DisplayCover {
  private covers: BrowserWindow[] = [];
  private locked = true;
  private readonly rebuild = () => this.apply();

  constructor(private readonly mainWindow: BrowserWindow) {
    screen.on('display-added', this.rebuild);
    screen.on('display-removed', this.rebuild);
    screen.on('display-metrics-changed', this.rebuild);
    this.apply();
  }

  setLocked(locked: boolean): void {
    const intact = this.covers.every((cover) => !cover.isDestroyed());
    if (locked === this.locked && intact) return;
    this.locked = locked;
    this.apply();
  }

  dispose(): void {
    screen.off('display-added', this.rebuild);
    screen.off('display-removed', this.rebuild);
    screen.off('display-metrics-changed', this.rebuild);
    this.clear();
  }

  private apply(): void {
    this.clear();
    if (!this.mainWindow.isDestroyed()) {
      if (this.locked) this.mainWindow.setAlwaysOnTop(true, 'screen-saver');
      else this.mainWindow.setAlwaysOnTop(false);
    }
    if (!this.locked) return;
    const mainDisplay = screen.getDisplayMatching(this.mainWindow.getBounds());
    for (const display of screen.getAllDisplays()) {
      if (display.id !== mainDisplay.id) this.covers.push(coverWindow(display));
    }
  }

  private clear(): void {
    for (const cover of this.covers) if (!cover.isDestroyed()) cover.destroy();
    this.covers = [];
  }
}

function coverWindow(display: Display): BrowserWindow {
  const cover = new BrowserWindow({
    ...display.bounds,
    frame: false,
    show: false,
    focusable: false,
    skipTaskbar: true,
    alwaysOnTop: true,
    backgroundColor: '#0b2545',
    webPreferences: lockedDownWebPreferences({ javascript: false }),
  });
  cover.setAlwaysOnTop(true, 'screen-saver');
  cover.setVisibleOnAllWorkspaces(true);
  cover.showInactive();
  return cover;
}
