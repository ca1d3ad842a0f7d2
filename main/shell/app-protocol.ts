import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { messageOf } from '../../common/errors.js';

/**
 * The renderer is served from app://careshell/, not file://: a file:// page would need the
 * grantFileProtocolExtraPrivileges fuse (every file on disk readable by fetch from any file:// page) and shares
 * its origin with every other file. Only files under the built renderer folder are served (docs/shell.md#app-protocol).
 */
export const APP_SCHEME = 'app';
const APP_HOST = 'careshell';
export const RENDERER_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const RENDERER_URL = `${RENDERER_ORIGIN}/index.html`;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Must run before the app is ready: Chromium reads the privileged schemes once, at start-up. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    // standard + secure: a real origin and a secure context, so ES modules, fetch and CSP 'self' work as on https.
    // corsEnabled stays off: it would let other origins (an EHR page) read the renderer's files cross-origin.
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves app://careshell/<path> from rendererRoot on the default session (the main window's). */
export function serveRenderer(rendererRoot: string, log: { warn(message: string): void }): void {
  const root = path.resolve(rendererRoot);
  protocol.handle(APP_SCHEME, async (request) => {
    const file = rendererFileFor(request.url, root);
    if (!file) {
      log.warn(`app protocol: refused ${request.method} ${request.url} (outside the renderer)`);
      return new Response('Not found', { status: 404 });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return new Response('Method not allowed', { status: 405 });
    try {
      const body = await readFile(file);
      const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      return new Response(request.method === 'HEAD' ? null : body, {
        headers: { 'content-type': type, 'x-content-type-options': 'nosniff' },
      });
    } catch (error) {
      log.warn(`app protocol: ${request.url} could not be read: ${messageOf(error)}`);
      return new Response('Not found', { status: 404 });
    }
  });
}

/**
 * The file an app:// URL names, or undefined when it is not ours: another host, an encoded separator or NUL,
 * or a path that resolves outside the renderer folder (../, absolute or drive paths).
 */
export function rendererFileFor(url: string, root: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return undefined;
  let relative: string;
  try {
    relative = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  if (relative.includes('\0') || relative.includes('\\') || /%2f|%5c/i.test(parsed.pathname)) return undefined;
  if (relative === '/' || relative === '') relative = '/index.html';
  const file = path.resolve(root, `.${relative}`);
  const inside = path.relative(root, file);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return undefined;
  return file;
}
