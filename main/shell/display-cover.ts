import { BrowserWindow, screen, type Display } from 'electron';
import { lockedDownWebPreferences } from './web-preferences.js';

/**
 * Overlays often cover only the primary display (DESIGN.md §8). While locked, every other display gets
 * an opaque, focus-less cover window; covers are rebuilt whenever displays are added, removed or moved.
 */
export class DisplayCover {
  private covers: BrowserWindow[] = [];
  private locked = true;
  private readonly rebuild = () => this.apply();

  constructor(private readonly mainWindow: BrowserWindow) {
    screen.on('display-added', this.rebuild);
    screen.on('display-removed', this.rebuild);
    screen.on('display-metrics-changed', this.rebuild);
  }

  setLocked(locked: boolean): void {
    if (locked === this.locked && (locked ? this.covers.length > 0 : this.covers.length === 0)) return;
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
