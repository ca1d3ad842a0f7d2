/**
 * Canonical JSON: the exact bytes the hash chain and the checkpoint signatures cover.
 *
 * - objects: plain objects only; keys sorted by UTF-16 code units (JavaScript's default sort, as in
 *   RFC 8785 JCS); properties whose value is `undefined` are left out; no whitespace anywhere;
 * - arrays: elements in order, no whitespace; `undefined` elements are rejected;
 * - strings: JSON.stringify escaping (", \ and controls escaped, lone surrogates as \uXXXX);
 * - numbers: finite only, ECMAScript shortest round-trip form (JSON.stringify), -0 written as 0;
 * - true, false, null as themselves.
 * Anything else (NaN, Infinity, bigint, functions, Dates, class instances) is refused, naming the path,
 * because a value that does not round-trip through JSON.parse would make the record unverifiable.
 */
export function canonicalJson(value: unknown): string {
  try {
    return write(value);
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    throw new TypeError(`canonical JSON: $${error.path.join('')} ${error.message}`);
  }
}

/** A refusal on its way up: each level adds its key, so the path is built only when something is refused. */
class Refused extends Error {
  readonly path: string[] = [];
}

// The journal writes every record through here (group commit runs it per event), so it appends to one
// string and never builds a path or an intermediate array on the way.
function write(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new Refused(`is ${value}; only finite numbers can be stored`);
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          out += (i > 0 ? ',' : '') + within(i, value[i]);
        }
        return `${out}]`;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        throw new Refused(`is a ${value.constructor?.name ?? 'non-plain object'}; convert it to plain data first`);
      }
      const record = value as Record<string, unknown>;
      let out = '{';
      for (const key of Object.keys(record).sort()) {
        const item = record[key];
        if (item === undefined) continue;
        out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${within(key, item)}`;
      }
      return `${out}}`;
    }
    default:
      throw new Refused(`is a ${typeof value}, which JSON cannot hold`);
  }
}

/** Writes a property (key) or an array element (index), naming it in a refusal from anywhere below. */
function within(step: string | number, item: unknown): string {
  try {
    if (item === undefined) throw new Refused('is undefined');
    return write(item);
  } catch (error) {
    if (error instanceof Refused) error.path.unshift(typeof step === 'number' ? `[${step}]` : `.${step}`);
    throw error;
  }
}
