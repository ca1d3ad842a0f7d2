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
  return write(value, '$');
}

function write(value: unknown, path: string): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: ${path} is ${value}; only finite numbers can be stored`);
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => {
          if (item === undefined) throw new TypeError(`canonical JSON: ${path}[${i}] is undefined`);
          return write(item, `${path}[${i}]`);
        }).join(',')}]`;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(`canonical JSON: ${path} is a ${value.constructor?.name ?? 'non-plain object'}; convert it to plain data first`);
      }
      const record = value as Record<string, unknown>;
      const parts: string[] = [];
      for (const key of Object.keys(record).sort()) {
        const item = record[key];
        if (item === undefined) continue;
        parts.push(`${JSON.stringify(key)}:${write(item, `${path}.${key}`)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON: ${path} is a ${typeof value}, which JSON cannot hold`);
  }
}
