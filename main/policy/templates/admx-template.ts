import { REGISTRY_POLICY_KEY } from '../registry-policy-document.js';
import { detailsText, type CatalogueEntry } from './policy-catalogue.js';
import { xmlEscape } from './xml-text.js';

export interface AdmxOptions {
  /** The ADMX namespace (unique per product) and its prefix. */
  namespace: string;
  prefix: string;
  product: string;
  /** What "supported on" says. */
  supportedOn: string;
}

/** The binding that reads the registry stops at 511 characters (registry-policy-source.ts). */
const MAX_TEXT = 510;
const ROOT = 'CareShell';
const categoryId = (path: readonly string[]) =>
  path.length === 0 ? ROOT : `cat_${path.join('_').replace(/[^A-Za-z0-9_]/g, '_')}`;
const regKey = (path: readonly string[]) => [REGISTRY_POLICY_KEY, ...path].join('\\');

/** Every policy also writes version=1, so a key set through Group Policy is a complete document. */
const versionItem = `<item key="${xmlEscape(REGISTRY_POLICY_KEY)}" valueName="version"><value><decimal value="1" /></value></item>`;

function element(entry: CatalogueEntry, valueName: string): string | undefined {
  switch (entry.kind) {
    case 'boolean':
      return undefined;
    case 'integer': {
      const min = entry.minimum !== undefined ? ` minValue="${entry.minimum}"` : '';
      const max = entry.maximum !== undefined ? ` maxValue="${entry.maximum}"` : '';
      return `<decimal id="${entry.id}" valueName="${valueName}" required="true"${min}${max} />`;
    }
    case 'enum':
      return [
        `<enum id="${entry.id}" valueName="${valueName}" required="true">`,
        ...(entry.values ?? []).map(
          (v) =>
            `  <item displayName="$(string.${entry.id}__${v.replace(/[^A-Za-z0-9]/g, '_')})"><value><string>${xmlEscape(v)}</string></value></item>`,
        ),
        `</enum>`,
      ].join('\n          ');
    case 'list':
      return `<list id="${entry.id}" key="${xmlEscape(regKey(entry.path))}" valuePrefix="" />`;
    case 'string':
    case 'json':
      return `<text id="${entry.id}" valueName="${valueName}" required="true" maxLength="${MAX_TEXT}" />`;
  }
}

function policy(entry: CatalogueEntry): string {
  const valueName = xmlEscape(entry.path[entry.path.length - 1]!);
  const boolean = entry.kind === 'boolean';
  const el = element(entry, valueName);
  return [
    `    <policy name="${entry.id}" class="Machine" displayName="$(string.${entry.id})" explainText="$(string.${entry.id}_Explain)"${el ? ` presentation="$(presentation.${entry.id})"` : ''} key="${xmlEscape(regKey(entry.path.slice(0, -1)))}"${boolean ? ` valueName="${valueName}"` : ''}>`,
    `      <parentCategory ref="${categoryId(entry.path.slice(0, -1))}" />`,
    `      <supportedOn ref="SUPPORTED_${ROOT}" />`,
    ...(boolean
      ? [
          `      <enabledValue><decimal value="1" /></enabledValue>`,
          `      <disabledValue><decimal value="0" /></disabledValue>`,
          `      <enabledList>${versionItem}</enabledList>`,
          `      <disabledList>${versionItem}</disabledList>`,
        ]
      : [`      <enabledList>${versionItem}</enabledList>`]),
    ...(el ? [`      <elements>`, `        ${el}`, `      </elements>`] : []),
    `    </policy>`,
  ].join('\n');
}

function presentation(entry: CatalogueEntry): string | undefined {
  const label = xmlEscape(entry.title);
  const d = entry.defaultValue;
  switch (entry.kind) {
    case 'boolean':
      return undefined;
    case 'integer':
      return `<decimalTextBox refId="${entry.id}"${typeof d === 'number' ? ` defaultValue="${d}"` : ''}>${label}</decimalTextBox>`;
    case 'enum': {
      const index = entry.values?.indexOf(String(d)) ?? -1;
      return `<dropdownList refId="${entry.id}" noSort="true"${index >= 0 ? ` defaultItem="${index}"` : ''}>${label}</dropdownList>`;
    }
    case 'list':
      return `<listBox refId="${entry.id}">${label}</listBox>`;
    case 'string':
    case 'json': {
      const text = d === undefined ? undefined : typeof d === 'string' ? d : JSON.stringify(d);
      return `<textBox refId="${entry.id}"><label>${label}</label>${text !== undefined ? `<defaultValue>${xmlEscape(text)}</defaultValue>` : ''}</textBox>`;
    }
  }
}

/** Every folder the keys sit in (session, session.tapOut...), parents first. */
function categories(entries: readonly CatalogueEntry[]): string[][] {
  const seen = new Map<string, string[]>();
  for (const entry of entries)
    for (let depth = 1; depth < entry.path.length; depth++) {
      const path = entry.path.slice(0, depth);
      seen.set(path.join('.'), path);
    }
  return [...seen.values()];
}

/** Group Policy and Intune (ADMX ingestion) templates: one policy per key, in a folder per section. */
export function admxTemplate(entries: readonly CatalogueEntry[], options: AdmxOptions): { admx: string; adml: string } {
  const settable = entries.filter((e) => !(e.path.length === 1 && e.path[0] === 'version'));
  const cats = categories(settable);
  const admx = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<!-- Generated from the CareShell policy schema by npm run policy:templates; do not edit. -->`,
    `<policyDefinitions xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">`,
    `  <policyNamespaces>`,
    `    <target prefix="${options.prefix}" namespace="${options.namespace}" />`,
    `  </policyNamespaces>`,
    `  <resources minRequiredRevision="1.0" />`,
    `  <supportedOn>`,
    `    <definitions>`,
    `      <definition name="SUPPORTED_${ROOT}" displayName="$(string.SUPPORTED_${ROOT})" />`,
    `    </definitions>`,
    `  </supportedOn>`,
    `  <categories>`,
    `    <category name="${ROOT}" displayName="$(string.${ROOT})" />`,
    ...cats.map(
      (path) =>
        `    <category name="${categoryId(path)}" displayName="$(string.${categoryId(path)})"><parentCategory ref="${categoryId(path.slice(0, -1))}" /></category>`,
    ),
    `  </categories>`,
    `  <policies>`,
    ...settable.map(policy),
    `  </policies>`,
    `</policyDefinitions>`,
    ``,
  ].join('\n');

  const strings: [string, string][] = [
    [ROOT, options.product],
    [`SUPPORTED_${ROOT}`, options.supportedOn],
    ...cats.map((path): [string, string] => [categoryId(path), path.join('.')]),
    ...settable.flatMap((e): [string, string][] => [
      [e.id, e.title],
      [
        `${e.id}_Explain`,
        `${e.description}\n\n${detailsText(e)}\n\nKey: ${e.path.join('.')} (docs/policy.md).${e.kind === 'json' ? ' Written as JSON text.' : ''}`,
      ],
      ...(e.kind === 'enum'
        ? (e.values ?? []).map((v): [string, string] => [`${e.id}__${v.replace(/[^A-Za-z0-9]/g, '_')}`, v])
        : []),
    ]),
  ];
  const presentations = settable.flatMap((e) => {
    const p = presentation(e);
    return p ? [`      <presentation id="${e.id}">${p}</presentation>`] : [];
  });
  const adml = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<!-- Generated from the CareShell policy schema by npm run policy:templates; do not edit. -->`,
    `<policyDefinitionResources xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">`,
    `  <displayName>${xmlEscape(options.product)}</displayName>`,
    `  <description>${xmlEscape(`${options.product} machine policy`)}</description>`,
    `  <resources>`,
    `    <stringTable>`,
    ...strings.map(([id, text]) => `      <string id="${id}">${xmlEscape(text)}</string>`),
    `    </stringTable>`,
    `    <presentationTable>`,
    ...presentations,
    `    </presentationTable>`,
    `  </resources>`,
    `</policyDefinitionResources>`,
    ``,
  ].join('\n');
  return { admx, adml };
}
