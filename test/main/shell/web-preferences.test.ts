import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { lockedDownWebPreferences } from '../../../main/shell/web-preferences.js';

const shellDir = path.resolve(import.meta.dirname, '../../../main/shell');
const ISOLATION = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInSubFrames: false,
  nodeIntegrationInWorker: false,
  webviewTag: false,
  disableBlinkFeatures: 'Auxclick',
};

/** Every `new BrowserWindow(...)` / `new WebContentsView(...)` in a file, and what its webPreferences is. */
function windowConstructions(file: string, source: string): { at: string; webPreferences: string | undefined }[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: { at: string; webPreferences: string | undefined }[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      ['BrowserWindow', 'WebContentsView'].includes(node.expression.text)
    ) {
      const options = node.arguments?.[0];
      const property =
        options && ts.isObjectLiteralExpression(options)
          ? options.properties.find(
              (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(sf) === 'webPreferences',
            )
          : undefined;
      const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
      found.push({ at: `${path.basename(file)}:${line + 1}`, webPreferences: property?.initializer.getText(sf) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('lockedDownWebPreferences (docs/design.md#hardening)', () => {
  it('isolates and sandboxes every window, with no Node in any frame or worker and no webview tags', () => {
    expect(lockedDownWebPreferences()).toMatchObject(ISOLATION);
  });

  it('keeps what a caller may choose, but no caller can switch isolation off', () => {
    const prefs = lockedDownWebPreferences({
      partition: 'persist:x',
      ...({ nodeIntegration: true, sandbox: false, contextIsolation: false } as object),
    });
    expect(prefs).toMatchObject({ ...ISOLATION, partition: 'persist:x' });
  });

  it('is what every BrowserWindow and WebContentsView in main/shell is built with', () => {
    const constructions = readdirSync(shellDir)
      .filter((name) => name.endsWith('.ts'))
      .flatMap((name) => windowConstructions(name, readFileSync(path.join(shellDir, name), 'utf8')));
    // The main window, one cover per display, the EHR views and the sign-in window.
    expect(constructions.length).toBeGreaterThanOrEqual(4);
    for (const { at, webPreferences } of constructions)
      expect(webPreferences, at).toMatch(/^lockedDownWebPreferences\(/);
  });

  it('that source check catches a window built without it', () => {
    const planted = windowConstructions(
      'planted.ts',
      'new BrowserWindow({ webPreferences: { nodeIntegration: true } }); new WebContentsView({});',
    );
    expect(planted.map((c) => c.webPreferences)).toEqual(['{ nodeIntegration: true }', undefined]);
  });
});
