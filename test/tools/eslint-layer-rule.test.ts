import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Plants violations at real paths of the tree (lintText with a filePath writes nothing) and checks that
// the project's own ESLint config catches each one, and accepts the imports each layer may make.
const eslint = new ESLint({ cwd: process.cwd() });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'careshell/layers').map((m) => m.message);
}

describe('layer rule (docs/design.md#layers)', () => {
  it.each([
    [
      'renderer/components/Planted.tsx',
      "import { x } from '../../main/session/planted.js';\nexport const y = x;",
      'renderer may not import from main',
    ],
    [
      'renderer/Planted.tsx',
      "import { x } from '../native/badge-reader.js';\nexport const y = x;",
      'renderer may not import from native',
    ],
    [
      'renderer/Planted.tsx',
      "import { sessionViewSchema } from '../preload/contract';\nexport const y = sessionViewSchema;",
      'only types',
    ],
    [
      'renderer/Planted.tsx',
      "import { readFileSync } from 'node:fs';\nexport const y = readFileSync;",
      'Node built-in',
    ],
    [
      'main/session/planted.ts',
      "import { app } from 'electron';\nexport const y = app;",
      "'electron' may be imported only",
    ],
    [
      'main/audit/planted.ts',
      "const { app } = require('electron');\nexport const y = app;",
      "'electron' may be imported only",
    ],
    [
      'native/planted.ts',
      "import { BrowserWindow } from 'electron';\nexport const y = BrowserWindow;",
      "'electron' may be imported only",
    ],
    [
      'native/planted.ts',
      "import { x } from '../main/app/compose.js';\nexport const y = x;",
      'native may not import from main',
    ],
    [
      'main/session/planted.ts',
      "import { x } from '../shell/window.js';\nexport const y = x;",
      'main may not import from shell',
    ],
    [
      'common/planted.ts',
      "import { x } from '../main/app/compose.js';\nexport const y = x;",
      'common may not import from main',
    ],
  ])('catches %s: %s', async (file, code, expected) => {
    const errors = await layerErrors(file, code);
    expect(errors.join('\n')).toContain(expected);
  });

  it.each([
    ['renderer/Planted.tsx', "import type { SessionView } from '../preload/contract';\nexport type V = SessionView;"],
    [
      'main/shell/planted.ts',
      "import { app } from 'electron';\nimport { x } from '../session/planted.js';\nexport const y = [app, x];",
    ],
    [
      'preload/planted.ts',
      "import { contextBridge } from 'electron';\nimport { createCareShellApi } from './contract.js';\nexport const y = [contextBridge, createCareShellApi];",
    ],
    [
      'main/app/planted.ts',
      "import { sessionViewSchema } from '../../preload/contract.js';\nimport type { BadgeReader } from '../../native/badge-reader.js';\nexport const y = sessionViewSchema; export type R = BadgeReader;",
    ],
    ['test/main/planted.test.ts', "import { app } from 'electron';\nexport const y = app;"],
  ])('allows %s', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
