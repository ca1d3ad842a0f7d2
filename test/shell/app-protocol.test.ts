import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rendererFileFor, serveRenderer } from '../../main/shell/app-protocol.js';
import { protocol, resetFakeElectron } from './support/fake-electron.js';

vi.mock('electron', () => import('./support/fake-electron.js'));

let base: string;
let root: string;
const warnings: string[] = [];

beforeAll(async () => {
  resetFakeElectron();
  base = await mkdtemp(path.join(tmpdir(), 'careshell-app-protocol-'));
  root = path.join(base, 'renderer');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html>');
  await writeFile(path.join(root, 'assets', 'index-abc.js'), 'export {}');
  await writeFile(path.join(base, 'secret.txt'), 'not for the renderer');
  serveRenderer(root, { warn: (m) => warnings.push(m) });
});
afterAll(() => rm(base, { recursive: true, force: true }));

describe('app://careshell serves the built renderer and nothing else', () => {
  it('serves index.html and module scripts with their content types', async () => {
    const page = await protocol.request('app://careshell/index.html');
    expect([page.status, page.headers.get('content-type'), await page.text()]).toEqual([
      200,
      'text/html; charset=utf-8',
      '<!doctype html>',
    ]);
    const script = await protocol.request('app://careshell/assets/index-abc.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it.each([
    'app://careshell/../secret.txt',
    'app://careshell/%2e%2e/secret.txt',
    'app://careshell/assets/%2e%2e%2f..%2fsecret.txt',
    'app://careshell/..%5csecret.txt',
    'app://careshell/index.html%00.js',
    'app://elsewhere/index.html',
    'app://careshell/missing.js',
  ])('refuses %s with 404', async (url) => {
    const response = await protocol.request(url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('not for the renderer');
  });

  it('refuses writes', async () => {
    expect((await protocol.request('app://careshell/index.html', { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('maps only paths inside the root (the check itself, below what the URL parser normalises)', () => {
    expect(rendererFileFor('app://careshell/', root)).toBe(path.join(root, 'index.html'));
    expect(rendererFileFor('app://careshell/assets/index-abc.js', root)).toBe(path.join(root, 'assets/index-abc.js'));
    // The URL parser resolves encoded dot segments itself: the result stays inside the root.
    expect(rendererFileFor('app://careshell/%2E%2E/secret.txt', root)).toBe(path.join(root, 'secret.txt'));
    expect(rendererFileFor('app://careshell/a%2F..%2F..%2Fsecret.txt', root)).toBeUndefined();
    expect(rendererFileFor('app://careshell/%E0%A4%A', root)).toBeUndefined();
    expect(rendererFileFor('https://careshell/index.html', root)).toBeUndefined();
    expect(rendererFileFor('not a url', root)).toBeUndefined();
  });
});
