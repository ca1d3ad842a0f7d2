import type { WebContents } from 'electron';

/** What a web contents is for; navigation rules differ per surface (docs/shell.md#navigation). */
export type Surface = 'renderer' | 'ehr' | 'sign-in' | 'cover';

/** Origins from machine policy (the host port's HostSettings). */
export interface NavigationAllowList {
  /** The EHR URL's origin and ehr.allowedOrigins. */
  readonly ehrOrigins: readonly string[];
  /** The identity provider's authority origin and identity.allowedOrigins (federated sign-in leaves the authority). */
  readonly signInOrigins: readonly string[];
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** scheme://host[:port]; WHATWG URL gives "null" as the origin of non-special schemes such as app://. */
export function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.host ? `${parsed.protocol}//${parsed.host}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a surface may show a URL: the renderer only its own app:// origin, EHR views the EHR origins (policy
 * lists the EHR's own identity provider in ehr.allowedOrigins), the sign-in window the identity origins and the
 * loopback redirect of the native-client sign-in. Nothing else gets loopback: a local service is no place for an
 * EHR page. Covers and unknown web contents go nowhere.
 */
export function navigationAllowed(
  url: string,
  surface: Surface | undefined,
  list: NavigationAllowList,
  rendererOrigin: string,
): boolean {
  const origin = originOf(url);
  switch (surface) {
    case 'renderer':
      return origin === rendererOrigin;
    case 'ehr':
      return url === 'about:blank' || (!!origin && list.ehrOrigins.includes(origin));
    case 'sign-in':
      return !!origin && (list.signInOrigins.includes(origin) || isLoopback(url));
    case 'cover':
    case undefined:
      return false;
  }
}

function isLoopback(url: string): boolean {
  const parsed = new URL(url);
  return parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname);
}

/** Which web contents is which surface, and the allow-list the host last gave. */
export class NavigationGuard {
  private readonly surfaces = new WeakMap<WebContents, Surface>();
  private list: NavigationAllowList = { ehrOrigins: [], signInOrigins: [] };

  constructor(private readonly rendererOrigin: string) {}

  mark(contents: WebContents, surface: Surface): void {
    this.surfaces.set(contents, surface);
  }

  surfaceOf(contents: WebContents): Surface | undefined {
    return this.surfaces.get(contents);
  }

  setAllowList(list: NavigationAllowList): void {
    const origins = (urls: readonly string[]) => urls.map(originOf).filter((o): o is string => !!o);
    this.list = { ehrOrigins: origins(list.ehrOrigins), signInOrigins: origins(list.signInOrigins) };
  }

  allows(contents: WebContents, url: string): boolean {
    return navigationAllowed(url, this.surfaceOf(contents), this.list, this.rendererOrigin);
  }
}
