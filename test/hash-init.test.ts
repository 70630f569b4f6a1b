import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fnv1a32, hashStateDict, hashUniform, hashValue, mix } from './helpers/hash-init.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

interface ExpectedCase {
  salt: string;
  name: string;
  shape: number[];
  indices: number[];
  bits: string[];
  values: number[];
}
const expected = JSON.parse(readFileSync(fixture('hash-init-expected.json'), 'utf8')) as { cases: ExpectedCase[] };

describe('hash init (port of shared/golden/tools/hashinit.py)', () => {
  it('matches the reference float32 bits exactly', () => {
    expect(expected.cases.length).toBeGreaterThanOrEqual(3);
    for (const c of expected.cases) {
      const values = hashValue(c.salt, c.name, c.shape);
      const bits = new Uint32Array(values.buffer);
      const got = c.indices.map((i) => bits[i].toString(16).padStart(8, '0'));
      expect(got, `${c.salt}:${c.name}`).toEqual(c.bits);
      expect(c.indices.map((i) => values[i])).toEqual(c.values);
    }
  });

  it('implements FNV-1a over UTF-8 bytes and the 32-bit mixer', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c); // standard FNV-1a test vector
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    expect(fnv1a32('é')).not.toBe(fnv1a32('\u00e9'.normalize('NFD')));
    expect(mix(0)).toBe(0);
    for (const x of [1, 0xffffffff, 0x12345678]) {
      const m = mix(x);
      expect(Number.isInteger(m) && m >= 0 && m < 2 ** 32).toBe(true);
    }
  });

  it('gives uniforms in [0, 1) and values in their documented ranges', () => {
    const u = hashUniform('dev', 'x', 10_000);
    expect(u.every((x) => x >= 0 && x < 1)).toBe(true);
    const bound = Math.sqrt(6 / (64 * 9));
    const conv = Array.from(hashValue('dev', 'layer1.0.conv1.weight', [64, 64, 3, 3]));
    expect(conv.every((v) => Math.abs(v) <= Math.fround(bound))).toBe(true);
    expect(Array.from(hashValue('dev', 'bn1.running_var', [64])).every((v) => v >= 0.5 && v <= 1.5)).toBe(true);
    expect(Array.from(hashValue('dev', 'bn1.weight', [64])).every((v) => v >= 0.5 && v <= 1)).toBe(true);
    expect(() => hashValue('dev', 'bn1.num_batches_tracked', [])).toThrow(/no rule/);
  });

  it('fills a state dict, skipping num_batches_tracked', () => {
    const sd = hashStateDict('dev', [
      { key: 'conv1.weight', shape: [4, 3, 3, 3] },
      { key: 'bn1.weight', shape: [4] },
      { key: 'bn1.num_batches_tracked', shape: [] },
      { key: 'fc.bias', shape: [10] },
    ]);
    expect(Object.keys(sd)).toEqual(['conv1.weight', 'bn1.weight', 'fc.bias']);
    expect(sd['conv1.weight'].shape).toEqual([4, 3, 3, 3]);
    expect(sd['conv1.weight'].data).toEqual(hashValue('dev', 'conv1.weight', [4, 3, 3, 3]));
    expect(sd['fc.bias'].data.length).toBe(10);
  });
});
