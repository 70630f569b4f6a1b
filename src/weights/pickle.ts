/**
 * A restricted unpickler for the pickles inside `torch.save` files, modelled
 * on PyTorch's own `weights_only` unpickler (`torch/_weights_only_unpickler.py`):
 * it builds plain data only — `None`, bools, ints, floats, `str`, `bytes`,
 * lists, tuples, dicts, `OrderedDict`, sets — plus whatever the caller's
 * allow-listed globals build (tensors and storages). Nothing is ever imported
 * or executed: a `GLOBAL` outside the allow-list, `INST`/`OBJ`, extension
 * codes and out-of-band buffers throw {@link PyTorchFileError} naming what was
 * refused.
 *
 * Bounds: every opcode reads within the given bytes (a length running past
 * the end is a truncated file, never an allocation); the stack, the mark
 * stack and the memo grow by at most one entry per opcode, so they are
 * bounded by the pickle's size; dicts are `Map`s, so keys such as
 * `__proto__` are ordinary data.
 *
 * @module
 */
import { PyTorchFileError } from '../errors.js';

/** A Python tuple: a frozen array (lists are ordinary, mutable arrays). @internal */
export type PickleTuple = readonly PickleValue[];

/**
 * A value built by the unpickler. `int` is a `number` when it is a safe
 * integer, otherwise a `bigint`; dicts and `OrderedDict`s are `Map`s; sets are
 * `Set`s; `bytes` are `Uint8Array`s; anything else is an object built by an
 * allow-listed global (see {@link PickleGlobals}).
 * @internal
 */
export type PickleValue =
  null | boolean | number | bigint | string | Uint8Array | PickleValue[] | PickleTuple | Map<PickleValue, PickleValue> | Set<PickleValue> | object;

/** An allow-listed global as it sits on the unpickler's stack. @internal */
export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get fullName(): string {
    return `${this.module}.${this.name}`;
  }
}

/**
 * What a caller allows beyond plain data. `global` decides whether a
 * `module.name` may be referenced (throwing the refusal itself, so that it can
 * explain); `call` builds the result of `REDUCE`/`NEWOBJ` on an allowed
 * global; `build` applies a `BUILD` state to an object it made;
 * `persistentLoad` resolves `PERSID`/`BINPERSID` records.
 * @internal
 */
export interface PickleGlobals {
  global(module: string, name: string): PickleGlobal;
  call(fn: PickleGlobal, args: PickleTuple, opcode: 'REDUCE' | 'NEWOBJ'): PickleValue;
  build?(target: PickleValue, state: PickleValue): boolean;
  persistentLoad?(pid: PickleValue): PickleValue;
}

/** Globals of plain data that every caller allows (PyTorch allows these too). */
const PLAIN_GLOBALS = new Set(['collections.OrderedDict', 'builtins.set', 'builtins.frozenset', 'builtins.bytes', 'builtins.bytearray', '_codecs.encode']);

/** Python 2 names that pickle protocol 2 files use for builtins (as pickle's NAME_MAPPING/IMPORT_MAPPING). */
function mapPython2(module: string, name: string): [string, string] {
  if (module === '__builtin__') return ['builtins', name];
  if (module === 'copy_reg') return ['copyreg', name];
  return [module, name];
}

/** The words of a text `FLOAT` that are not decimal numbers (a Map: no lookup reaches Object.prototype). */
const FLOAT_WORDS: ReadonlyMap<string, number> = new Map([
  ['inf', Infinity],
  ['+inf', Infinity],
  ['-inf', -Infinity],
  ['nan', NaN],
  ['+nan', NaN],
  ['-nan', NaN],
]);

const MAX_LONG_BYTES = 4096; // Python itself refuses int conversions beyond ~4300 digits

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/** What an unpickled value is — `'a tuple'`, `'a dict'`, `'the global os.system'`, `'a number'` — never its contents. */
function kindOf(v: PickleValue): string {
  if (v === null) return 'None';
  if (Array.isArray(v)) return Object.isFrozen(v) ? 'a tuple' : 'a list';
  if (v instanceof Map) return 'a dict';
  if (v instanceof Set) return 'a set';
  if (v instanceof Uint8Array) return 'bytes';
  if (v instanceof PickleGlobal) return `the global ${v.fullName}`;
  if (typeof v === 'object') return `a ${v.constructor?.name ?? 'object'}`;
  return `a ${typeof v}`;
}

/**
 * A short description of an unpickled value for error messages: a scalar
 * shown (a string cut to 40 characters), a container only named by its kind
 * (`kindOf`) — a hostile pickle can share one container many times over
 * (a DAG through the memo or `DUP`) or make one contain itself, so that
 * `String`/`JSON.stringify` of it would take exponential time or throw.
 * @internal
 */
export function describePickled(v: PickleValue): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return v.toString().length > 40 ? `an integer of ${v.toString().length} digits` : v.toString();
  return kindOf(v);
}

/** An unpickled object and where its pickle ended. @internal */
export interface Unpickled {
  value: PickleValue;
  /** Offset just past the pickle's `STOP`. */
  end: number;
}

/**
 * Unpickles one pickle starting at `offset` of `bytes`.
 *
 * @param what - names the pickle in error messages, e.g. `"data.pkl"`.
 * @throws {@link PyTorchFileError} for a refused global or opcode, a truncated
 *   or inconsistent pickle.
 * @internal
 */
export function unpickle(bytes: Uint8Array, globals: PickleGlobals, what: string, offset = 0): Unpickled {
  const limit = bytes.length;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = offset;
  let stack: PickleValue[] = [];
  const metastack: PickleValue[][] = [];
  const memo = new Map<number, PickleValue>();
  const frozen = new WeakSet<object>(); // frozensets

  const fail = (message: string, at = pos): never => {
    throw new PyTorchFileError(`${what}: ${message} (at byte ${at})`);
  };
  const need = (n: number): number => {
    if (n > limit - pos) fail(`truncated: an opcode needs ${n} more bytes, only ${Math.max(0, limit - pos)} remain`);
    const at = pos;
    pos += n;
    return at;
  };
  const u8 = (): number => bytes[need(1)];
  const u16 = (): number => view.getUint16(need(2), true);
  const u32 = (): number => view.getUint32(need(4), true);
  const i32 = (): number => view.getInt32(need(4), true);
  const u64 = (): number => {
    const at = need(8);
    const lo = view.getUint32(at, true);
    const hi = view.getUint32(at + 4, true);
    // Any length beyond 2^53 is beyond the file anyway.
    return hi >= 0x200000 ? Number.MAX_SAFE_INTEGER : hi * 4294967296 + lo;
  };
  const take = (n: number): Uint8Array => {
    const at = need(n);
    return bytes.subarray(at, at + n);
  };
  const line = (): string => {
    let end = pos;
    while (end < limit && bytes[end] !== 0x0a) end++;
    if (end >= limit) fail('truncated: a text opcode has no terminating newline');
    const text = latin1.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return text;
  };
  const text = (raw: Uint8Array, kind: string): string => {
    try {
      return utf8.decode(raw);
    } catch {
      return fail(`a ${kind} string is not valid UTF-8`);
    }
  };

  const push = (v: PickleValue): void => {
    stack.push(v);
  };
  const pop = (): PickleValue => {
    if (stack.length === 0) fail('stack underflow: an opcode needs a value the pickle never pushed');
    return stack.pop()!;
  };
  const top = (): PickleValue => {
    if (stack.length === 0) fail('stack underflow: an opcode needs a value the pickle never pushed');
    return stack[stack.length - 1];
  };
  const popMark = (): PickleValue[] => {
    if (metastack.length === 0) fail('an opcode needs a MARK that was never set');
    const items = stack;
    stack = metastack.pop()!;
    return items;
  };
  const tuple = (items: PickleValue[]): PickleTuple => Object.freeze(items);
  const isList = (v: PickleValue): v is PickleValue[] => Array.isArray(v) && !Object.isFrozen(v);
  const intOf = (bits: Uint8Array): number | bigint => {
    if (bits.length === 0) return 0;
    if (bits.length > MAX_LONG_BYTES) fail(`an integer of ${bits.length} bytes is beyond the limit of ${MAX_LONG_BYTES}`);
    let hex = '';
    for (let i = bits.length - 1; i >= 0; i--) hex += bits[i].toString(16).padStart(2, '0');
    let big = BigInt(`0x${hex}`);
    if (bits[bits.length - 1] & 0x80) big -= 1n << BigInt(8 * bits.length);
    return normalise(big);
  };
  const normalise = (big: bigint): number | bigint => (big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big);
  const setItem = (d: PickleValue, k: PickleValue, v: PickleValue): void => {
    if (!(d instanceof Map)) fail(`SETITEM(S) on ${kindOf(d)}; only dicts take items`);
    (d as Map<PickleValue, PickleValue>).set(k, v);
  };
  const addItems = (s: PickleValue, items: PickleValue[]): void => {
    if (!(s instanceof Set) || frozen.has(s)) fail(`ADDITEMS on ${kindOf(s)}; only sets take items`);
    for (const item of items) (s as Set<PickleValue>).add(item);
  };
  const resolveGlobal = (module: string, name: string): PickleGlobal => {
    [module, name] = mapPython2(module, name);
    if (PLAIN_GLOBALS.has(`${module}.${name}`)) return new PickleGlobal(module, name);
    return globals.global(module, name);
  };
  const callPlain = (fn: PickleGlobal, args: PickleTuple): PickleValue | undefined => {
    switch (fn.fullName) {
      case 'collections.OrderedDict': {
        const d = new Map<PickleValue, PickleValue>();
        if (args.length > 0) {
          const items = args[0];
          if (!Array.isArray(items)) fail(`OrderedDict(${kindOf(items)}); expected a list of (key, value) pairs`);
          for (const pair of items as PickleValue[]) {
            if (!Array.isArray(pair) || pair.length !== 2) fail('OrderedDict items must be (key, value) pairs');
            d.set((pair as PickleValue[])[0], (pair as PickleValue[])[1]);
          }
        }
        return d;
      }
      case 'builtins.set':
      case 'builtins.frozenset': {
        const s = new Set<PickleValue>();
        if (args.length > 0) {
          if (!Array.isArray(args[0])) fail(`${fn.name}(${kindOf(args[0])}); expected a list`);
          for (const item of args[0] as PickleValue[]) s.add(item);
        }
        if (fn.name === 'frozenset') frozen.add(s);
        return s;
      }
      case 'builtins.bytes':
      case 'builtins.bytearray': {
        // Protocol 2 pickles b'' as bytes() and a bytearray as bytearray(bytes).
        if (args.length === 0) return new Uint8Array(0);
        if (args.length === 1 && args[0] instanceof Uint8Array) return (args[0] as Uint8Array).slice();
        return fail(`${fn.name}(${args.map(kindOf).join(', ')}); only ${fn.name}() and ${fn.name}(bytes) are allowed`);
      }
      case '_codecs.encode': {
        const [value, encoding] = args;
        if (typeof value !== 'string' || (encoding !== 'latin1' && encoding !== 'latin-1')) {
          fail(`_codecs.encode(${kindOf(value)}, ${describePickled(encoding)}); only encode(str, "latin1") (how protocol 2 pickles bytes) is allowed`);
        }
        const s = value as string;
        const out = new Uint8Array(s.length);
        for (let i = 0; i < s.length; i++) {
          const c = s.charCodeAt(i);
          if (c > 0xff) fail('_codecs.encode: a character beyond latin-1');
          out[i] = c;
        }
        return out;
      }
      default:
        return undefined;
    }
  };
  const call = (fn: PickleValue, args: PickleValue, opcode: 'REDUCE' | 'NEWOBJ'): PickleValue => {
    if (!(fn instanceof PickleGlobal)) fail(`${opcode} on ${kindOf(fn)}; only allow-listed globals can be called`);
    if (!Array.isArray(args)) fail(`${opcode} arguments are ${kindOf(args)}; expected a tuple`);
    const g = fn as PickleGlobal;
    return callPlain(g, args as PickleTuple) ?? globals.call(g, args as PickleTuple, opcode);
  };

  if (offset > limit) fail('the pickle lies beyond the file');
  for (;;) {
    const at = pos;
    const op = u8();
    switch (op) {
      // --- framing
      case 0x80: // PROTO
        if (u8() > 5) fail('pickle protocol beyond 5', at);
        break;
      case 0x95: // FRAME
        need(8);
        break;
      case 0x2e: {
        // STOP
        const value = pop();
        return { value, end: pos };
      }
      // --- stack and marks
      case 0x28: // MARK
        metastack.push(stack);
        stack = [];
        break;
      case 0x30: // POP
        if (stack.length === 0) popMark();
        else stack.pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        push(top());
        break;
      // --- constants and numbers
      case 0x4e: // NONE
        push(null);
        break;
      case 0x88: // NEWTRUE
        push(true);
        break;
      case 0x89: // NEWFALSE
        push(false);
        break;
      case 0x49: {
        // INT (text)
        const s = line();
        if (s === '00') push(false);
        else if (s === '01') push(true);
        else push(parseIntText(s, fail));
        break;
      }
      case 0x4a: // BININT
        push(i32());
        break;
      case 0x4b: // BININT1
        push(u8());
        break;
      case 0x4d: // BININT2
        push(u16());
        break;
      case 0x4c: // LONG (text)
        push(parseIntText(line().replace(/L$/, ''), fail));
        break;
      case 0x8a: // LONG1
        push(intOf(take(u8())));
        break;
      case 0x8b: {
        // LONG4
        const n = i32();
        if (n < 0) fail('LONG4 with a negative length', at);
        push(intOf(take(n)));
        break;
      }
      case 0x46: {
        // FLOAT (text)
        const s = line().trim();
        const special = FLOAT_WORDS.get(s.toLowerCase());
        const v = special !== undefined ? special : /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s) ? Number(s) : NaN;
        if (Number.isNaN(v) && !/^[+-]?nan$/i.test(s)) fail(`FLOAT ${JSON.stringify(s.slice(0, 40))} is not a number`, at);
        push(v);
        break;
      }
      case 0x47: // BINFLOAT
        push(view.getFloat64(need(8), false));
        break;
      // --- strings and bytes
      case 0x53: // STRING (text repr)
        push(parseStringRepr(line(), fail));
        break;
      case 0x54: // BINSTRING
        push(text(take(checkLength(i32(), fail)), 'BINSTRING'));
        break;
      case 0x55: // SHORT_BINSTRING
        push(text(take(u8()), 'SHORT_BINSTRING'));
        break;
      case 0x56: // UNICODE (raw-unicode-escape)
        push(
          line().replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, a: string, b: string) => {
            const code = parseInt(a ?? b, 16);
            return code <= 0x10ffff ? String.fromCodePoint(code) : fail(`UNICODE escape \\U${b} is beyond U+10FFFF`, at);
          }),
        );
        break;
      case 0x58: // BINUNICODE
        push(text(take(u32()), 'BINUNICODE'));
        break;
      case 0x8c: // SHORT_BINUNICODE
        push(text(take(u8()), 'SHORT_BINUNICODE'));
        break;
      case 0x8d: // BINUNICODE8
        push(text(take(u64()), 'BINUNICODE8'));
        break;
      case 0x42: // BINBYTES
        push(take(u32()).slice());
        break;
      case 0x43: // SHORT_BINBYTES
        push(take(u8()).slice());
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        push(take(u64()).slice());
        break;
      // --- containers
      case 0x5d: // EMPTY_LIST
        push([]);
        break;
      case 0x6c: // LIST
        push(popMark());
        break;
      case 0x61: {
        // APPEND
        const item = pop();
        const list = top();
        if (!isList(list)) fail(`APPEND to ${kindOf(list)}; only lists take items`, at);
        (list as PickleValue[]).push(item);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        const list = top();
        if (!isList(list)) fail(`APPENDS to ${kindOf(list)}; only lists take items`, at);
        for (const item of items) (list as PickleValue[]).push(item);
        break;
      }
      case 0x29: // EMPTY_TUPLE
        push(tuple([]));
        break;
      case 0x74: // TUPLE
        push(tuple(popMark()));
        break;
      case 0x85: // TUPLE1
        push(tuple([pop()]));
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        push(tuple([pop(), b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        push(tuple([pop(), b, c]));
        break;
      }
      case 0x7d: // EMPTY_DICT
        push(new Map());
        break;
      case 0x64: {
        // DICT
        const items = popMark();
        if (items.length % 2 !== 0) fail('DICT with an odd number of items', at);
        const d = new Map<PickleValue, PickleValue>();
        for (let i = 0; i < items.length; i += 2) d.set(items[i], items[i + 1]);
        push(d);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItem(top(), k, v);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        if (items.length % 2 !== 0) fail('SETITEMS with an odd number of items', at);
        const d = top();
        for (let i = 0; i < items.length; i += 2) setItem(d, items[i], items[i + 1]);
        break;
      }
      case 0x8f: // EMPTY_SET
        push(new Set());
        break;
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        addItems(top(), items);
        break;
      }
      case 0x91: {
        // FROZENSET
        const s = new Set<PickleValue>(popMark());
        frozen.add(s);
        push(s);
        break;
      }
      // --- memo
      case 0x67: // GET
        push(memoGet(memo, parseIndex(line(), fail), fail));
        break;
      case 0x68: // BINGET
        push(memoGet(memo, u8(), fail));
        break;
      case 0x6a: // LONG_BINGET
        push(memoGet(memo, u32(), fail));
        break;
      case 0x70: // PUT
        memo.set(parseIndex(line(), fail), top());
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      // --- globals and objects: only what is allowed
      case 0x63: {
        // GLOBAL
        const module = line();
        const name = line();
        push(resolveGlobal(module, name));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL needs two strings', at);
        push(resolveGlobal(module as string, name as string));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const fn = pop();
        push(call(fn, args, 'REDUCE'));
        break;
      }
      case 0x81: {
        // NEWOBJ
        const args = pop();
        const cls = pop();
        push(call(cls, args, 'NEWOBJ'));
        break;
      }
      case 0x92: {
        // NEWOBJ_EX
        const kwargs = pop();
        const args = pop();
        const cls = pop();
        if (!(kwargs instanceof Map) || kwargs.size > 0) fail('NEWOBJ_EX with keyword arguments is not allowed', at);
        push(call(cls, args, 'NEWOBJ'));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        const target = top();
        if (target instanceof Map) break; // an OrderedDict's __dict__ (a state dict's _metadata): data we do not need
        if (globals.build?.(target, state) === true) break;
        fail(`BUILD on ${kindOf(target)}; only OrderedDicts and allow-listed tensor objects can be built`, at);
        break;
      }
      case 0x69: {
        // INST: a class named inline, instantiated
        const module = line();
        const name = line();
        resolveGlobal(module, name); // throws the allow-list refusal, naming the class
        fail(`INST ${module}.${name}: instantiating classes is not allowed`, at);
        break;
      }
      case 0x6f: // OBJ
        fail('OBJ: instantiating classes is not allowed', at);
        break;
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: // EXT4
        fail('extension-registry globals (EXT1/EXT2/EXT4) are not allowed', at);
        break;
      case 0x97: // NEXT_BUFFER
      case 0x98: // READONLY_BUFFER
        fail('out-of-band buffers (pickle protocol 5) are not allowed', at);
        break;
      // --- persistent ids: storages
      case 0x50: {
        // PERSID
        const pid = line();
        if (globals.persistentLoad === undefined) fail('a persistent id where none is expected', at);
        push(globals.persistentLoad!(pid));
        break;
      }
      case 0x51: {
        // BINPERSID
        const pid = pop();
        if (globals.persistentLoad === undefined) fail('a persistent id where none is expected', at);
        push(globals.persistentLoad!(pid));
        break;
      }
      default:
        fail(`unknown pickle opcode 0x${op.toString(16).padStart(2, '0')}`, at);
    }
  }
}

function checkLength(n: number, fail: (m: string) => never): number {
  if (n < 0) fail('a string with a negative length');
  return n;
}

function memoGet(memo: Map<number, PickleValue>, index: number, fail: (m: string) => never): PickleValue {
  if (!memo.has(index)) fail(`memo index ${index} was never stored`);
  return memo.get(index)!;
}

function parseIndex(s: string, fail: (m: string) => never): number {
  if (!/^\d{1,10}$/.test(s)) fail(`memo index ${JSON.stringify(s.slice(0, 20))} is not a number`);
  return Number(s);
}

function parseIntText(s: string, fail: (m: string) => never): number | bigint {
  const t = s.trim();
  if (!/^[+-]?\d{1,4300}$/.test(t)) fail(`integer ${JSON.stringify(t.slice(0, 40))} is not a number`);
  const big = BigInt(t);
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/** A protocol-0 `STRING` argument: a quoted Python repr with backslash escapes. */
function parseStringRepr(s: string, fail: (m: string) => never): string {
  const q = s[0];
  if (s.length < 2 || (q !== "'" && q !== '"') || s[s.length - 1] !== q) fail('STRING argument is not quoted');
  const body = s.slice(1, -1);
  return body.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v' };
    return simple[e] ?? `\\${e}`;
  });
}
