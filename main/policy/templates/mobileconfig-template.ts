import { detailsText, type CatalogueEntry } from './policy-catalogue.js';
import { xmlComment, xmlEscape } from './xml-text.js';

export interface MobileconfigOptions {
  /** The preference domain the payload targets: the app's bundle id. */
  bundleId: string;
  product: string;
  /** Fixed UUIDs so the file is reproducible; IT replaces them with their own. */
  profileUuid: string;
  payloadUuid: string;
}

type Value = string | number | boolean | Value[] | { [key: string]: Value };
type Node = { comment?: string; value: Value } | { comment?: string; dict: Map<string, Node> };

const pad = (depth: number) => '  '.repeat(depth);

function plistValue(value: Value, depth: number): string {
  if (typeof value === 'string') return `${pad(depth)}<string>${xmlEscape(value)}</string>`;
  if (typeof value === 'boolean') return `${pad(depth)}<${value}/>`;
  if (typeof value === 'number')
    return Number.isInteger(value) ? `${pad(depth)}<integer>${value}</integer>` : `${pad(depth)}<real>${value}</real>`;
  if (Array.isArray(value))
    return value.length === 0
      ? `${pad(depth)}<array/>`
      : [`${pad(depth)}<array>`, ...value.map((v) => plistValue(v, depth + 1)), `${pad(depth)}</array>`].join('\n');
  return plistDict(new Map(Object.entries(value).map(([k, v]) => [k, { value: v }])), depth);
}

function plistDict(dict: Map<string, Node>, depth: number): string {
  const lines = [`${pad(depth)}<dict>`];
  for (const [key, node] of dict) {
    if (node.comment) lines.push(`${pad(depth + 1)}${xmlComment(node.comment)}`);
    lines.push(`${pad(depth + 1)}<key>${xmlEscape(key)}</key>`);
    lines.push('dict' in node ? plistDict(node.dict, depth + 1) : plistValue(node.value, depth + 1));
  }
  lines.push(`${pad(depth)}</dict>`);
  return lines.join('\n');
}

/** The value shown for a key: its default, else an example of its form; keys with neither are left out. */
const shown = (entry: CatalogueEntry) => entry.defaultValue ?? entry.example;

/**
 * A configuration profile for macOS MDMs (Jamf, Intune...): one custom-settings payload for the bundle id with
 * every key at its default (or an example), each under a comment giving its meaning, range and default.
 */
export function mobileconfigTemplate(entries: readonly CatalogueEntry[], options: MobileconfigOptions): string {
  const payload = new Map<string, Node>([
    ['PayloadType', { value: options.bundleId }],
    ['PayloadVersion', { value: 1 }],
    ['PayloadIdentifier', { value: `${options.bundleId}.policy` }],
    ['PayloadUUID', { value: options.payloadUuid }],
    ['PayloadDisplayName', { value: `${options.product} machine policy` }],
    ['PayloadEnabled', { value: true }],
  ]);
  for (const entry of entries) {
    const value = shown(entry);
    if (value === undefined) continue;
    let dict = payload;
    for (const name of entry.path.slice(0, -1)) {
      let next = dict.get(name);
      if (!next || !('dict' in next)) dict.set(name, (next = { dict: new Map() }));
      dict = next.dict;
    }
    const comment = `${entry.title}: ${entry.description} ${detailsText(entry)}${entry.defaultValue === undefined ? ' (An example: replace it.)' : ''}`;
    dict.set(entry.path[entry.path.length - 1]!, { comment, value: value as Value });
  }
  const profile = new Map<string, Node>([
    ['PayloadContent', { value: [] }],
    ['PayloadType', { value: 'Configuration' }],
    ['PayloadVersion', { value: 1 }],
    ['PayloadIdentifier', { value: `${options.bundleId}.profile` }],
    ['PayloadUUID', { value: options.profileUuid }],
    ['PayloadDisplayName', { value: options.product }],
    ['PayloadDescription', { value: `${options.product} machine policy (docs/policy.md)` }],
    ['PayloadScope', { value: 'System' }],
  ]);
  const body = plistDict(profile, 0).replace(
    `${pad(1)}<key>PayloadContent</key>\n${pad(1)}<array/>`,
    `${pad(1)}<key>PayloadContent</key>\n${pad(1)}<array>\n${plistDict(payload, 2)}\n${pad(1)}</array>`,
  );
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">`,
    xmlComment(
      'Generated from the CareShell policy schema by npm run policy:templates. Every key is shown at its default: delete the keys you do not set (a key set here wins and is shown locked), replace the example values and both PayloadUUIDs, and scope the profile to the device.',
    ),
    `<plist version="1.0">`,
    body,
    `</plist>`,
    ``,
  ].join('\n');
}
