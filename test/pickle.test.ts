// The restricted unpickler on pickles written by CPython's own pickler,
// protocols 0-5 (test/fixtures/pickle, made by its generate.py): plain data
// read exactly, torch.save-style tensors rebuilt, hostile globals refused
// whatever the opcode that names them.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PyTorchFileError } from '../src/errors.js';
import { readPyTorchCheckpoint } from '../src/weights/checkpoint.js';
import { unpickle, type PickleValue } from '../src/weights/pickle.js';
import { StorageRef, StorageRoot, TensorRef, torchGlobals } from '../src/weights/pytorch-tensors.js';
import { fixturePath } from './helpers/golden-numerics.js';

const pkl = (name: string): Uint8Array => readFileSync(fixturePath(`pickle/${name}`));
const noStorages = torchGlobals(() => {
  throw new Error('no persistent ids expected');
}, 1e9);

/** The canonical form generate.py writes (sets as sorted JSON strings of their members). */
function canonical(v: PickleValue): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return { int: v.toString() };
  if (typeof v === 'number') {
    if (v === Infinity || v === -Infinity) return { float: v > 0 ? 'inf' : '-inf' };
    if (Object.is(v, -0)) return { float: '-0' };
    return v;
  }
  if (v instanceof Uint8Array) return { bytes: Buffer.from(v).toString('hex') };
  if (Array.isArray(v)) return Object.isFrozen(v) ? { tuple: v.map(canonical) } : v.map(canonical);
  if (v instanceof Set) return { set: [...v].map((x) => JSON.stringify(canonical(x))).sort() };
  if (v instanceof Map) return { dict: [...v].map(([k, x]) => [canonical(k), canonical(x)]) };
  throw new Error(`unexpected ${String(v)}`);
}

/** Python's json.dumps of a member, re-read so that both sides print alike. */
const normaliseSets = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(normaliseSets);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.set)) return { set: (o.set as string[]).map((s) => JSON.stringify(normaliseSets(JSON.parse(s)))).sort() };
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, normaliseSets(x)]));
  }
  return v;
};

describe('unpickle: CPython pickles of every protocol', () => {
  const expected = normaliseSets(JSON.parse(readFileSync(fixturePath('pickle/expected.json'), 'utf8')));

  it.each([0, 1, 2, 3, 4, 5])(
    'protocol %i: plain data read exactly (ints of any size, floats, str, bytes, tuples, sets, shared references, odd keys)',
    (protocol) => {
      const bytes = pkl(`plain-p${protocol}.pkl`);
      const { value, end } = unpickle(bytes, noStorages, `plain-p${protocol}.pkl`);
      expect(end).toBe(bytes.length);
      expect(normaliseSets(canonical(value))).toEqual(expected);
      // The two entries of "shared" are one list, as in Python.
      const shared = (value as Map<PickleValue, PickleValue>).get('shared') as PickleValue[][];
      expect(shared[0]).toBe(shared[1]);
    },
  );

  it.each([2, 3, 4, 5])('protocol %i: tensors as torch.save pickles them, views of one storage', (protocol) => {
    const roots = new Map<string, StorageRoot>();
    const globals = torchGlobals((pid) => {
      const [, , key, , numel] = pid as PickleValue[];
      const root = roots.get(key as string) ?? new StorageRoot(key as string, 'float32', numel as number, true);
      roots.set(key as string, root);
      return new StorageRef(root, 0, numel as number);
    }, 1e9);
    const { value } = unpickle(pkl(`tensors-p${protocol}.pkl`), globals, 'tensors');
    const t = value as Map<string, TensorRef>;
    expect([...t.keys()]).toEqual(['base', 'transposed', 'row', 'other']);
    expect(t.get('transposed')!.shape).toEqual([6, 4]);
    expect(t.get('transposed')!.stride).toEqual([1, 6]);
    expect(t.get('row')!.offset).toBe(6);
    expect(t.get('base')!.storage.root).toBe(t.get('transposed')!.storage.root);
    expect(t.get('other')!.storage.root.key).toBe('1');
  });

  it.each([2, 3, 4, 5])('protocol %i: os.system (GLOBAL or STACK_GLOBAL) is refused, nothing runs', (protocol) => {
    rmSync('/tmp/PWNED_BY_PTH', { force: true });
    expect(() => unpickle(pkl(`evil-p${protocol}.pkl`), noStorages, 'evil')).toThrow(PyTorchFileError);
    expect(() => unpickle(pkl(`evil-p${protocol}.pkl`), noStorages, 'evil')).toThrow(/global posix\.system, which is not allowed/);
    expect(existsSync('/tmp/PWNED_BY_PTH')).toBe(false);
  });

  it('INST, OBJ, extension codes, out-of-band buffers and calls of non-globals are refused', () => {
    const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
    const cases: Array<[Uint8Array, RegExp]> = [
      [ascii('(ios\nsystem\nS"ls"\n.'), /global os\.system, which is not allowed/],
      [ascii('(cbuiltins\nlist\no.'), /global builtins\.list, which is not allowed/],
      [ascii('\x80\x02(N\x8c\x00\x8c\x00\x93o.'), /the global \., which is not allowed/],
      [ascii('\x80\x02(NK\x01\x93o.'), /STACK_GLOBAL needs two strings/],
      [ascii('\x80\x02(c__builtin__\nset\n)o.'), /OBJ: instantiating classes is not allowed/],
      [ascii('\x80\x02\x82\x01.'), /extension-registry globals/],
      [ascii('\x80\x05\x97.'), /out-of-band buffers/],
      [ascii('\x80\x02]\x29R.'), /REDUCE on a list/],
      [ascii('\x80\x02\x29N\x81.'), /NEWOBJ on a tuple; only allow-listed globals can be called/],
      [ascii('\x80\x02]}b.'), /BUILD on a list/],
      [ascii('\x80\x02)K\x01a.'), /APPEND to a tuple/],
      [ascii('\x80\x02h\x05.'), /memo index 5 was never stored/],
      [ascii('\x80\x02X\xff\xff\xff\x7f'), /truncated/],
      [ascii('\x80\x02\x8a\xff'), /truncated/],
      [ascii('\x80\x02\x8b\x00\x00\x10\x00'), /integer of 1048576 bytes is beyond the limit|truncated/],
      [ascii('\x80\x02e.'), /MARK that was never set/],
      [ascii('\x80\x02.'), /stack underflow/],
      [ascii('\x80\x07.'), /protocol beyond 5/],
      [ascii('\x80\x02\xff.'), /unknown pickle opcode 0xff/],
    ];
    for (const [bytes, message] of cases) {
      expect(() => unpickle(bytes, noStorages, 'case'), JSON.stringify(new TextDecoder('latin1').decode(bytes))).toThrow(message);
      expect(() => unpickle(bytes, noStorages, 'case')).toThrow(PyTorchFileError);
    }
  });

  it('values a hostile pickle can shape (cycles, shared containers, bad escapes) give short typed errors', () => {
    const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
    // A list that contains itself, as _codecs.encode's encoding.
    const cyclic = ascii('\x80\x02c_codecs\nencode\n(X\x01\x00\x00\x00a]q\x00h\x00atR.');
    expect(() => unpickle(cyclic, noStorages, 'case')).toThrow(/_codecs\.encode\(a string, a list\)/);
    expect(() => unpickle(ascii('\x80\x02V\\U11000000\n.'), noStorages, 'case')).toThrow(/UNICODE escape \\U11000000 is beyond U\+10FFFF/);
    expect(() => unpickle(ascii('\x80\x02V\\U11000000\n.'), noStorages, 'case')).toThrow(PyTorchFileError);
    expect(() => unpickle(ascii('\x80\x02c__builtin__\nbytearray\nK\x01]\x86R.'), noStorages, 'case')).toThrow(
      /bytearray\(a number, a list\); only bytearray\(\) and bytearray\(bytes\) are allowed/,
    );
    // 24 tuples each holding the previous twice: 2^24 leaves in 53 bytes. Printed in full, the
    // message would be 16 MB (at 40 levels the print never ends); it names the value instead.
    const magic = '\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19\x2e';
    const shared = ascii(`${magic}\x80\x02)${'2\x86'.repeat(24)}.`);
    let error: unknown;
    try {
      readPyTorchCheckpoint(shared);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PyTorchFileError);
    expect((error as Error).message).toMatch(/legacy protocol version a tuple; expected 1001/);
    expect((error as Error).message.length).toBeLessThan(300);
  });

  it('names of Object.prototype (constructor, __proto__, toString) are not in any allow-list', () => {
    const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(() => unpickle(ascii(`\x80\x02ctorch\n${name}\n.`), noStorages, 'case')).toThrow(new RegExp(`global torch\\.${name}, which is not allowed`));
      expect(() =>
        unpickle(
          ascii(`\x80\x02ctorch\n${name}\n.`),
          torchGlobals(() => null, 1e9, true),
          'case',
        ),
      ).toThrow(PyTorchFileError);
      // A text FLOAT is a number or inf/nan, never a property of a lookup table.
      expect(() => unpickle(ascii(`\x80\x02F${name}\n.`), noStorages, 'case')).toThrow(/is not a number/);
    }
  });
});
