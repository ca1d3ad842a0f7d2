/**
 * The D-Bus wire format (D-Bus Specification, "Message Protocol": marshalling, message format), enough of it to
 * follow logind on the system bus without a third-party binding. Values are plain JS: numbers (bigint for 64-bit),
 * booleans, strings, arrays; a struct or dict entry is an array of its fields; a variant is { signature, value }.
 * Input from the bus is checked as it is read: a malformed message throws DbusWireError, never half-parses.
 */

export type DbusValue = number | bigint | boolean | string | DbusValue[] | DbusVariant;
export interface DbusVariant {
  signature: string;
  value: DbusValue;
}

export const MessageType = { methodCall: 1, methodReturn: 2, error: 3, signal: 4 } as const;
export type MessageTypeCode = (typeof MessageType)[keyof typeof MessageType];

export interface DbusMessage {
  type: MessageTypeCode;
  /** 0x1: no reply expected. */
  flags: number;
  serial: number;
  path?: string;
  interface?: string;
  member?: string;
  errorName?: string;
  replySerial?: number;
  destination?: string;
  sender?: string;
  /** The body's signature ('' for none). */
  signature: string;
  body: DbusValue[];
}

export class DbusWireError extends Error {
  constructor(message: string) {
    super(`D-Bus: ${message}`);
    this.name = 'DbusWireError';
  }
}

/** Header field codes (spec: "Header Fields"), with the type each one carries. */
const FIELDS = [
  [1, 'path', 'o'],
  [2, 'interface', 's'],
  [3, 'member', 's'],
  [4, 'errorName', 's'],
  [5, 'replySerial', 'u'],
  [6, 'destination', 's'],
  [7, 'sender', 's'],
  [8, 'signature', 'g'],
] as const;

/** The bus refuses messages over 128 MiB; a smaller cap keeps a confused peer from making us buffer much. */
const MAX_MESSAGE_BYTES = 1 << 24;

const ALIGNMENT: Record<string, number> = {
  y: 1,
  b: 4,
  n: 2,
  q: 2,
  i: 4,
  u: 4,
  x: 8,
  t: 8,
  d: 8,
  s: 4,
  o: 4,
  g: 1,
  a: 4,
  '(': 8,
  '{': 8,
  v: 1,
  h: 4,
};

/** Splits a signature into its complete types ('sa{sv}as' -> ['s', 'a{sv}', 'as']). */
export function splitSignature(signature: string): string[] {
  const types: string[] = [];
  let at = 0;
  while (at < signature.length) {
    const end = endOfType(signature, at);
    types.push(signature.slice(at, end));
    at = end;
  }
  return types;
}

function endOfType(signature: string, at: number): number {
  const code = signature[at];
  if (code === undefined) throw new DbusWireError(`signature "${signature}" ends inside a type`);
  if (code === 'a') return endOfType(signature, at + 1);
  if (code === '(' || code === '{') {
    const close = code === '(' ? ')' : '}';
    let next = at + 1;
    while (signature[next] !== close) {
      if (next >= signature.length) throw new DbusWireError(`signature "${signature}" has an unclosed "${code}"`);
      next = endOfType(signature, next);
    }
    return next + 1;
  }
  if (!(code in ALIGNMENT)) throw new DbusWireError(`signature "${signature}" has an unknown type code "${code}"`);
  return at + 1;
}

class Writer {
  private bytes = new Uint8Array(256);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
  align(n: number): void {
    const pad = (n - (this.length % n)) % n;
    this.room(pad);
    this.length += pad; // the buffer is zero-filled, and padding must be zero
  }
  number(size: 1 | 2 | 4 | 8, write: (view: DataView, at: number) => void): void {
    this.align(size);
    this.room(size);
    write(new DataView(this.bytes.buffer), this.length);
    this.length += size;
  }
  raw(data: Uint8Array): void {
    this.room(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }
  setUint32(at: number, value: number): void {
    new DataView(this.bytes.buffer).setUint32(at, value, true);
  }
  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

function marshalValue(w: Writer, type: string, value: DbusValue): void {
  const fail = () =>
    new DbusWireError(
      `cannot write ${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? String(v) : v))} as "${type}"`,
    );
  switch (type[0]) {
    case 'y':
      if (typeof value !== 'number') throw fail();
      return w.number(1, (v, at) => v.setUint8(at, value));
    case 'b':
      if (typeof value !== 'boolean') throw fail();
      return w.number(4, (v, at) => v.setUint32(at, value ? 1 : 0, true));
    case 'n':
    case 'q':
    case 'i':
    case 'u':
    case 'h': {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw fail();
      const size = type === 'n' || type === 'q' ? 2 : 4;
      const set = { n: 'setInt16', q: 'setUint16', i: 'setInt32', u: 'setUint32', h: 'setUint32' }[
        type[0]
      ] as 'setInt16';
      return w.number(size, (v, at) => v[set](at, value, true));
    }
    case 'x':
    case 't':
      if (typeof value !== 'bigint') throw fail();
      return w.number(8, (v, at) => (type === 'x' ? v.setBigInt64(at, value, true) : v.setBigUint64(at, value, true)));
    case 'd':
      if (typeof value !== 'number') throw fail();
      return w.number(8, (v, at) => v.setFloat64(at, value, true));
    case 's':
    case 'o': {
      if (typeof value !== 'string') throw fail();
      const data = new TextEncoder().encode(value);
      w.number(4, (v, at) => v.setUint32(at, data.length, true));
      w.raw(data);
      return w.raw(new Uint8Array(1));
    }
    case 'g': {
      if (typeof value !== 'string') throw fail();
      const data = new TextEncoder().encode(value);
      w.number(1, (v, at) => v.setUint8(at, data.length));
      w.raw(data);
      return w.raw(new Uint8Array(1));
    }
    case 'v': {
      if (typeof value !== 'object' || Array.isArray(value)) throw fail();
      marshalValue(w, 'g', value.signature);
      return marshalValue(w, value.signature, value.value);
    }
    case 'a': {
      if (!Array.isArray(value)) throw fail();
      const element = type.slice(1);
      w.number(4, () => undefined);
      const lengthAt = w.length - 4;
      w.align(ALIGNMENT[element[0]!]!);
      const start = w.length;
      for (const item of value) marshalValue(w, element, item);
      return w.setUint32(lengthAt, w.length - start);
    }
    case '(':
    case '{': {
      const fields = splitSignature(type.slice(1, -1));
      if (!Array.isArray(value) || value.length !== fields.length) throw fail();
      w.align(8);
      fields.forEach((field, i) => marshalValue(w, field, value[i]!));
      return;
    }
    default:
      throw fail();
  }
}

/** The bytes of one message, little-endian, ready to write to the bus socket. */
export function encodeMessage(message: Omit<DbusMessage, 'sender'> & { sender?: string }): Uint8Array {
  const types = splitSignature(message.signature);
  if (types.length !== message.body.length)
    throw new DbusWireError(
      `signature "${message.signature}" has ${types.length} types but the body ${message.body.length} values`,
    );
  const body = new Writer();
  types.forEach((type, i) => marshalValue(body, type, message.body[i]!));
  const fields: DbusValue[] = [];
  for (const [code, name, type] of FIELDS) {
    const value = name === 'signature' ? message.signature || undefined : message[name];
    if (value !== undefined) fields.push([code, { signature: type, value }]);
  }
  const w = new Writer();
  w.raw(Uint8Array.of(0x6c, message.type, message.flags, 1)); // 'l': little-endian, protocol version 1
  marshalValue(w, 'u', body.length);
  marshalValue(w, 'u', message.serial);
  marshalValue(w, 'a(yv)', fields);
  w.align(8);
  w.raw(body.result());
  return w.result();
}

class Reader {
  at = 0;
  constructor(
    private readonly view: DataView,
    private readonly little: boolean,
    private readonly end: number,
  ) {}
  align(n: number): void {
    const next = this.at + ((n - (this.at % n)) % n);
    if (next > this.end) throw new DbusWireError('message ends inside padding');
    for (let i = this.at; i < next; i++)
      if (this.view.getUint8(i) !== 0) throw new DbusWireError(`non-zero padding at byte ${i}`);
    this.at = next;
  }
  take(size: number): number {
    this.align(size);
    if (this.at + size > this.end)
      throw new DbusWireError(`message ends at byte ${this.end}, inside a value at ${this.at}`);
    const at = this.at;
    this.at += size;
    return at;
  }
  u8(): number {
    return this.view.getUint8(this.take(1));
  }
  u32(): number {
    return this.view.getUint32(this.take(4), this.little);
  }
  text(length: number): string {
    if (this.at + length + 1 > this.end) throw new DbusWireError('a string runs past the end of the message');
    const bytes = new Uint8Array(this.view.buffer, this.view.byteOffset + this.at, length);
    if (this.view.getUint8(this.at + length) !== 0) throw new DbusWireError('a string is not NUL-terminated');
    this.at += length + 1;
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new DbusWireError('a string is not valid UTF-8');
    }
  }
  value(type: string, depth: number): DbusValue {
    if (depth > 64) throw new DbusWireError('values nested deeper than 64 levels');
    const v = this.view;
    const little = this.little;
    switch (type[0]) {
      case 'y':
        return this.u8();
      case 'b': {
        const raw = this.u32();
        if (raw > 1) throw new DbusWireError(`a boolean holds ${raw}`);
        return raw === 1;
      }
      case 'n':
        return v.getInt16(this.take(2), little);
      case 'q':
        return v.getUint16(this.take(2), little);
      case 'i':
        return v.getInt32(this.take(4), little);
      case 'u':
      case 'h':
        return this.u32();
      case 'x':
        return v.getBigInt64(this.take(8), little);
      case 't':
        return v.getBigUint64(this.take(8), little);
      case 'd':
        return v.getFloat64(this.take(8), little);
      case 's':
      case 'o':
        return this.text(this.u32());
      case 'g':
        return this.text(this.u8());
      case 'v': {
        const signature = this.text(this.u8());
        const types = splitSignature(signature);
        if (types.length !== 1) throw new DbusWireError(`a variant's signature "${signature}" is not one type`);
        return { signature, value: this.value(signature, depth + 1) };
      }
      case 'a': {
        const length = this.u32();
        const element = type.slice(1);
        this.align(ALIGNMENT[element[0]!]!);
        const stop = this.at + length;
        if (length > 1 << 26 || stop > this.end)
          throw new DbusWireError(`an array of ${length} bytes runs past the end of the message`);
        const items: DbusValue[] = [];
        while (this.at < stop) items.push(this.value(element, depth + 1));
        if (this.at !== stop) throw new DbusWireError('an array element runs past the array');
        return items;
      }
      case '(':
      case '{':
        this.align(8);
        return splitSignature(type.slice(1, -1)).map((field) => this.value(field, depth + 1));
      default:
        throw new DbusWireError(`cannot read type "${type}"`);
    }
  }
}

/**
 * How many bytes the message at the start of `data` takes, or undefined while it is incomplete.
 * Throws when the fixed header is not a D-Bus message.
 */
export function messageLength(data: Uint8Array): number | undefined {
  if (data.length < 16) return undefined;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const endian = view.getUint8(0);
  if (endian !== 0x6c && endian !== 0x42)
    throw new DbusWireError(`byte 0 is 0x${endian.toString(16)}, not an endianness mark`);
  if (view.getUint8(3) !== 1) throw new DbusWireError(`protocol version ${view.getUint8(3)} is not 1`);
  const little = endian === 0x6c;
  const bodyLength = view.getUint32(4, little);
  const fieldsLength = view.getUint32(12, little);
  const headerLength = 16 + fieldsLength + ((8 - ((16 + fieldsLength) % 8)) % 8);
  const total = headerLength + bodyLength;
  if (total > MAX_MESSAGE_BYTES)
    throw new DbusWireError(`a message of ${total} bytes is over the ${MAX_MESSAGE_BYTES}-byte limit`);
  return data.length < total ? undefined : total;
}

/** Reads one complete message (as measured by messageLength). */
export function decodeMessage(data: Uint8Array): DbusMessage {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const little = view.getUint8(0) === 0x6c;
  const r = new Reader(view, little, data.length);
  r.at = 1;
  const type = r.u8();
  if (type < 1 || type > 4) throw new DbusWireError(`message type ${type} is unknown`);
  const flags = r.u8();
  r.at = 4;
  const bodyLength = r.u32();
  const serial = r.u32();
  if (serial === 0) throw new DbusWireError('a message has serial 0');
  const message: DbusMessage = { type: type as MessageTypeCode, flags, serial, signature: '', body: [] };
  for (const field of r.value('a(yv)', 0) as [number, DbusVariant][]) {
    const known = FIELDS.find(([code]) => code === field[0]);
    if (!known) continue; // the spec says unknown header fields must be ignored
    if (field[1].signature !== known[2])
      throw new DbusWireError(`header field ${known[1]} has type "${field[1].signature}", not "${known[2]}"`);
    (message as unknown as Record<string, DbusValue>)[known[1]] = field[1].value;
  }
  r.align(8);
  const bodyStart = r.at;
  if (bodyStart + bodyLength !== data.length) throw new DbusWireError('the body length does not match the message');
  // Alignment inside the body counts from its start, which is 8-aligned in the message.
  const body = new Reader(new DataView(data.buffer, data.byteOffset + bodyStart, bodyLength), little, bodyLength);
  message.body = splitSignature(message.signature).map((t) => body.value(t, 0));
  if (body.at !== bodyLength)
    throw new DbusWireError(`the body has ${bodyLength - body.at} bytes its signature does not account for`);
  return message;
}
