// A recording fake of the 'electron' module for the shell tier, installed with
//   vi.mock('electron', () => import('./support/fake-electron.js'))
// the way Electron Fiddle's tests mock it: classes and singletons with real event emitters, so the REAL
// main/shell code runs against it and the tests read what it did (windows, views, bounds, handlers, refusals).
// Only what main/shell uses is modelled; each method records and behaves as electron.d.ts documents it. Over 400
// lines because it is one module: vi.mock replaces 'electron' with exactly this file's exports.
import { EventEmitter } from 'node:events';

export interface FakeEvent {
  preventDefault(): void;
  readonly defaultPrevented: boolean;
}

/** An Electron event: preventDefault() records, params are spread on it (Electron's Event<Params>). */
export function fakeEvent<P extends object>(params: P = {} as P): FakeEvent & P {
  let prevented = false;
  return Object.assign(
    {
      preventDefault: () => {
        prevented = true;
      },
      get defaultPrevented() {
        return prevented;
      },
    },
    params,
  );
}

interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

// ---------------------------------------------------------------- session
export class FakeSession extends EventEmitter {
  permissionRequestHandler: ((contents: unknown, permission: string, callback: (ok: boolean) => void) => void) | null =
    null;
  permissionCheckHandler: ((contents: unknown, permission: string) => boolean) | null = null;
  cleared = 0;
  /** Set to make clearStorageData() reject (a storage failure). */
  clearFailure: Error | undefined;

  constructor(readonly partition: string) {
    super();
  }
  setPermissionRequestHandler(handler: FakeSession['permissionRequestHandler']): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: FakeSession['permissionCheckHandler']): void {
    this.permissionCheckHandler = handler;
  }
  async clearStorageData(): Promise<void> {
    if (this.clearFailure) throw this.clearFailure;
    this.cleared++;
  }
}

const partitions = new Map<string, FakeSession>();
export const session = {
  defaultSession: new FakeSession(''),
  fromPartition(partition: string): FakeSession {
    let found = partitions.get(partition);
    if (!found) {
      found = new FakeSession(partition);
      partitions.set(partition, found);
      app.emit('session-created', found);
    }
    return found;
  },
};

// ---------------------------------------------------------------- webContents
let nextId = 1;
export const allWebContents: FakeWebContents[] = [];
/** Which web contents has keyboard focus. */
export const focused: { contents: FakeWebContents | undefined } = { contents: undefined };

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly session: FakeSession;
  readonly loaded: string[] = [];
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  devToolsOpen = false;
  private url = '';
  private destroyed = false;
  /** Set to make the next loadURL() reject (a page that fails to load). */
  loadFailure: Error | undefined;
  readonly mainFrame: { url: string; readonly contents: FakeWebContents };

  constructor(readonly webPreferences: Record<string, unknown> = {}) {
    super();
    const partition = typeof webPreferences.partition === 'string' ? webPreferences.partition : '';
    this.session = partition ? session.fromPartition(partition) : session.defaultSession;
    const url = () => this.url;
    this.mainFrame = {
      get url() {
        return url();
      },
      contents: this,
    };
    allWebContents.push(this);
    app.emit('web-contents-created', fakeEvent(), this);
  }

  getType(): string {
    return 'window';
  }
  getURL(): string {
    return this.url;
  }
  async loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    if (this.loadFailure) throw this.loadFailure;
    this.url = url;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  setWindowOpenHandler(handler: FakeWebContents['windowOpenHandler']): void {
    this.windowOpenHandler = handler;
  }
  openDevTools(): void {
    if (this.webPreferences.devTools === false) return;
    this.devToolsOpen = true;
    this.emit('devtools-opened');
  }
  closeDevTools(): void {
    this.devToolsOpen = false;
  }
  isDevToolsOpened(): boolean {
    return this.devToolsOpen;
  }
  sendInputEvent(): void {}
  /** Keyboard focus moves here (the last focused web contents of all). */
  focus(): void {
    focused.contents = this;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('destroyed');
  }

  /** A navigation of `kind` to url as Chromium would start it; true when nothing prevented it. */
  attempt(kind: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', url: string, isMainFrame = true): boolean {
    const event = fakeEvent({ url, isMainFrame, isSameDocument: false, frame: null });
    this.emit(kind, event, url, false, isMainFrame);
    return !event.defaultPrevented;
  }
  /** A key press as before-input-event delivers it; true when nothing prevented it. */
  press(input: { key: string; control?: boolean; meta?: boolean; shift?: boolean; alt?: boolean }): boolean {
    const event = fakeEvent();
    this.emit('before-input-event', event, {
      type: 'keyDown',
      control: false,
      meta: false,
      shift: false,
      alt: false,
      ...input,
    });
    return !event.defaultPrevented;
  }
}

// ---------------------------------------------------------------- views
export class View extends EventEmitter {
  readonly children: View[] = [];
  private bounds: Rectangle = { x: 0, y: 0, width: 0, height: 0 };
  addChildView(view: View): void {
    // Electron: adding a child again moves it to the top.
    this.removeChildView(view);
    this.children.push(view);
  }
  removeChildView(view: View): void {
    const at = this.children.indexOf(view);
    if (at >= 0) this.children.splice(at, 1);
  }
  setBounds(bounds: Rectangle): void {
    this.bounds = bounds;
  }
  getBounds(): Rectangle {
    return this.bounds;
  }
}

export class WebContentsView extends View {
  readonly webContents: FakeWebContents;
  constructor(options: { webPreferences?: Record<string, unknown> } = {}) {
    super();
    this.webContents = new FakeWebContents(options.webPreferences);
  }
}

// ---------------------------------------------------------------- BrowserWindow
export class BrowserWindow extends EventEmitter {
  static readonly windows: BrowserWindow[] = [];
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.windows.filter((w) => !w.isDestroyed());
  }

  readonly webContents: FakeWebContents;
  readonly contentView = new View();
  alwaysOnTop: { flag: boolean; level?: string } = { flag: false };
  visible = false;
  menuRemoved = false;
  private destroyed = false;
  private bounds: Rectangle;

  constructor(readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> } = {}) {
    super();
    const { x = 0, y = 0, width = 1280, height = 800 } = options as Partial<Rectangle>;
    this.bounds = { x, y, width, height };
    if (options.alwaysOnTop === true) this.alwaysOnTop = { flag: true };
    this.webContents = new FakeWebContents(options.webPreferences);
    BrowserWindow.windows.push(this);
  }

  async loadURL(url: string): Promise<void> {
    await this.webContents.loadURL(url);
    this.emit('ready-to-show');
  }
  getBounds(): Rectangle {
    return this.bounds;
  }
  getContentSize(): [number, number] {
    return [this.bounds.width, this.bounds.height];
  }
  /** The window manager resizes the window. */
  resizeTo(width: number, height: number): void {
    this.bounds = { ...this.bounds, width, height };
    this.emit('resize');
  }
  setAlwaysOnTop(flag: boolean, level?: string): void {
    this.alwaysOnTop = level === undefined ? { flag } : { flag, level };
  }
  isAlwaysOnTop(): boolean {
    return this.alwaysOnTop.flag;
  }
  setVisibleOnAllWorkspaces(): void {}
  show(): void {
    this.visible = true;
  }
  showInactive(): void {
    this.visible = true;
  }
  isVisible(): boolean {
    return this.visible;
  }
  /** Brought to the front: focus() and moveTop() calls, in order (the window manager's stacking is not modelled). */
  readonly raised: ('focus' | 'moveTop')[] = [];
  minimized = false;
  focus(): void {
    this.raised.push('focus');
  }
  moveTop(): void {
    this.raised.push('moveTop');
  }
  /** The person minimised it (or the window manager hid it behind another window with hide()). */
  minimize(): void {
    this.minimized = true;
    this.visible = false;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  removeMenu(): void {
    this.menuRemoved = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** A close request (close button, Alt+F4, the window manager): 'close' may prevent it. */
  close(): void {
    if (this.destroyed) return;
    const event = fakeEvent();
    this.emit('close', event);
    if (!event.defaultPrevented) this.destroy();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.webContents.close();
    this.emit('closed');
    if (BrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed');
  }
}

// ---------------------------------------------------------------- app and singletons
class FakeApp extends EventEmitter {
  isPackaged = false;
  ready = false;
  exitCode: number | undefined;
  quitRequests = 0;
  userData = '/nonexistent/careshell-userdata';
  singleInstance = true;
  async whenReady(): Promise<void> {
    this.ready = true;
  }
  isReady(): boolean {
    return this.ready;
  }
  requestSingleInstanceLock(): boolean {
    return this.singleInstance;
  }
  version = '0.0.0-test';
  getVersion(): string {
    return this.version;
  }
  getPath(name: string): string {
    if (name !== 'userData') throw new Error(`fake electron: no path ${name}`);
    return this.userData;
  }
  /** Electron: before-quit may prevent the quit. */
  quit(): void {
    this.quitRequests++;
    const event = fakeEvent();
    this.emit('before-quit', event);
  }
  exit(code = 0): void {
    this.exitCode = code;
  }
  relaunch(): void {}
}
export const app = new FakeApp();

export const Menu = {
  applicationMenu: undefined as unknown,
  setApplicationMenu(menu: unknown): void {
    Menu.applicationMenu = menu;
  },
};

interface FakeDisplay {
  id: number;
  bounds: Rectangle;
}
class FakeScreen extends EventEmitter {
  displays: FakeDisplay[] = [{ id: 1, bounds: { x: 0, y: 0, width: 1280, height: 800 } }];
  getAllDisplays(): FakeDisplay[] {
    return this.displays;
  }
  getPrimaryDisplay(): FakeDisplay {
    return this.displays[0]!;
  }
  getDisplayMatching(rect: Rectangle): FakeDisplay {
    const cx = rect.x + rect.width / 2;
    const cy = rect.y + rect.height / 2;
    const inside = (d: FakeDisplay) =>
      cx >= d.bounds.x && cx < d.bounds.x + d.bounds.width && cy >= d.bounds.y && cy < d.bounds.y + d.bounds.height;
    return this.displays.find(inside) ?? this.getPrimaryDisplay();
  }
}
export const screen = new FakeScreen();

export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret' as string,
  /** Set to make every call throw (a broken OS secret service). */
  failure: undefined as Error | undefined,
  isEncryptionAvailable(): boolean {
    if (safeStorage.failure) throw safeStorage.failure;
    return safeStorage.available;
  },
  getSelectedStorageBackend(): string {
    if (safeStorage.failure) throw safeStorage.failure;
    return safeStorage.backend;
  },
  encryptString(plain: string): Buffer {
    return Buffer.from(`sealed:${plain}`);
  },
  decryptString(sealed: Buffer): string {
    const text = sealed.toString();
    if (!text.startsWith('sealed:')) throw new Error('not sealed by this fake');
    return text.slice('sealed:'.length);
  },
};

class FakePowerMonitor extends EventEmitter {
  idleSeconds = 0;
  getSystemIdleTime(): number {
    return this.idleSeconds;
  }
}
export const powerMonitor = new FakePowerMonitor();

type ProtocolHandler = (request: Request) => Response | Promise<Response>;
export const protocol = {
  privileged: [] as { scheme: string; privileges?: Record<string, boolean> }[],
  registeredAfterReady: false,
  handlers: new Map<string, ProtocolHandler>(),
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges?: Record<string, boolean> }[]): void {
    // Electron: "This method can only be used before the ready event of the app module gets emitted".
    if (app.ready) protocol.registeredAfterReady = true;
    protocol.privileged.push(...schemes);
  },
  handle(scheme: string, handler: ProtocolHandler): void {
    if (protocol.handlers.has(scheme)) throw new Error(`fake electron: ${scheme} is already handled`);
    protocol.handlers.set(scheme, handler);
  },
  /** What Chromium would get for a request to a handled scheme. */
  async request(url: string, init?: RequestInit): Promise<Response> {
    const handler = protocol.handlers.get(new URL(url).protocol.replace(/:$/, ''));
    if (!handler) throw new Error(`fake electron: no handler for ${url}`);
    return handler(new Request(url, init));
  },
};

type IpcHandler = (event: unknown, payload: unknown) => unknown;
export const ipcMain = {
  handlers: new Map<string, IpcHandler>(),
  handle(channel: string, handler: IpcHandler): void {
    if (ipcMain.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    ipcMain.handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    ipcMain.handlers.delete(channel);
  },
  /** A renderer's ipcRenderer.invoke from `sender`'s main frame (or another frame). */
  async invoke(
    sender: FakeWebContents,
    channel: string,
    payload?: unknown,
    frame: { url: string } = sender.mainFrame,
  ): Promise<unknown> {
    const handler = ipcMain.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ sender, senderFrame: frame }, payload);
  },
};

/** Back to a freshly started Electron: no windows, no handlers, one display, a keyring, not packaged. */
export function resetFakeElectron(): void {
  for (const emitter of [app, screen, powerMonitor, session.defaultSession]) emitter.removeAllListeners();
  Object.assign(app, { isPackaged: false, ready: false, exitCode: undefined, quitRequests: 0, singleInstance: true });
  app.userData = '/nonexistent/careshell-userdata';
  BrowserWindow.windows.length = 0;
  allWebContents.length = 0;
  focused.contents = undefined;
  partitions.clear();
  session.defaultSession = new FakeSession('');
  screen.displays = [{ id: 1, bounds: { x: 0, y: 0, width: 1280, height: 800 } }];
  Object.assign(safeStorage, { available: true, backend: 'gnome_libsecret', failure: undefined });
  powerMonitor.idleSeconds = 0;
  Object.assign(protocol, { privileged: [], registeredAfterReady: false });
  protocol.handlers.clear();
  ipcMain.handlers.clear();
  Menu.applicationMenu = undefined;
}
