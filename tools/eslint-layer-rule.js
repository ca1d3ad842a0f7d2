// The layer rule of docs/design.md#layers, machine-checked: who may import whom, and who may import 'electron'.
import path from 'node:path';
import { builtinModules } from 'node:module';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Which layer a repository-relative path belongs to, most specific first. */
export function layerOf(relativePath) {
  const p = relativePath.split(path.sep).join('/');
  if (p.replace(/\.(ts|tsx|js|mjs|cjs)$/, '') === 'preload/contract') return 'contract';
  if (p.startsWith('main/shell/')) return 'shell';
  for (const layer of ['renderer', 'preload', 'main', 'native', 'common']) {
    if (p.startsWith(`${layer}/`)) return layer;
  }
  return 'other';
}

/** The layers each layer may import from. Layers not listed here (tests, tools) are unrestricted. */
const ALLOWED = {
  renderer: ['renderer', 'common', 'contract'],
  contract: ['common'],
  preload: ['preload', 'contract', 'common'],
  shell: ['shell', 'main', 'native', 'contract', 'common'],
  main: ['main', 'native', 'contract', 'common'],
  native: ['native', 'common'],
  common: ['common'],
};
const ELECTRON_ALLOWED = new Set(['shell', 'preload']);
const NODE_BUILTINS = new Set(builtinModules);

function isElectron(source) {
  return source === 'electron' || source.startsWith('electron/');
}

function isNodeBuiltin(source) {
  return source.startsWith('node:') || NODE_BUILTINS.has(source.split('/')[0]);
}

export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the CareShell layer rule (docs/design.md#layers)' },
    schema: [],
    messages: {
      electron: "'electron' may be imported only in main/shell/ and preload/ (this file is in {{layer}}).",
      layer: '{{from}} may not import from {{to}} ({{source}}); see docs/design.md#layers.',
      typeOnly: 'renderer/ may import only types from preload/contract (use `import type`).',
      nodeInRenderer: 'renderer/ runs in a sandboxed page and may not import Node built-in {{source}}.',
    },
  },
  create(context) {
    const file = path.relative(ROOT, context.filename ?? context.getFilename());
    const from = layerOf(file);
    if (!(from in ALLOWED)) return {};
    const check = (node, source, typeOnly) => {
      if (typeof source !== 'string') return;
      if (isElectron(source)) {
        if (!ELECTRON_ALLOWED.has(from)) context.report({ node, messageId: 'electron', data: { layer: from } });
        return;
      }
      if (from === 'renderer' && isNodeBuiltin(source)) {
        context.report({ node, messageId: 'nodeInRenderer', data: { source } });
        return;
      }
      if (!source.startsWith('.')) return;
      const target = path.relative(ROOT, path.resolve(path.dirname(path.resolve(ROOT, file)), source));
      const to = layerOf(target);
      if (to === 'other') return;
      if (!ALLOWED[from].includes(to)) {
        context.report({ node, messageId: 'layer', data: { from, to, source } });
      } else if (from === 'renderer' && to === 'contract' && !typeOnly) {
        context.report({ node, messageId: 'typeOnly' });
      }
    };
    return {
      ImportDeclaration(node) {
        check(node, node.source.value, node.importKind === 'type');
      },
      ExportNamedDeclaration(node) {
        if (node.source) check(node, node.source.value, node.exportKind === 'type');
      },
      ExportAllDeclaration(node) {
        check(node, node.source.value, node.exportKind === 'type');
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node, node.source.value, false);
      },
      CallExpression(node) {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          node.arguments[0]?.type === 'Literal'
        ) {
          check(node, node.arguments[0].value, false);
        }
      },
    };
  },
};

export default { rules: { layers: layersRule } };
