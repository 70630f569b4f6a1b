// readPyTorchCheckpoint and loadPyTorchWeights on files written by real
// PyTorch 1.13 (test/fixtures/pth, see expected.json) and on akamaster's
// published CIFAR-10 checkpoints (test/fixtures/realworld).
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PyTorchFileError, SafetensorsError } from '../src/errors.js';
import { createModel } from '../src/models/registry.js';
import { readPyTorchCheckpoint } from '../src/weights/checkpoint.js';
import { loadPyTorchWeights } from '../src/weights/load-pytorch.js';
import { writeSafetensors } from '../src/weights/safetensors.js';
import { fixturePath } from './helpers/golden-numerics.js';
import { expectNoTensorLeaks } from './helpers/leaks.js';
import { torchSave, type SaveTensor } from './helpers/torch-save.js';

expectNoTensorLeaks();

interface ExpectedTensor {
  dtype: string;
  shape: number[];
  values: number[];
}
interface ExpectedFile {
  format?: string;
  kind: string;
  keys?: string[];
  sums?: Record<string, number>;
  tensors?: Record<string, ExpectedTensor>;
}
const EXPECTED = (JSON.parse(readFileSync(fixturePath('pth/expected.json'), 'utf8')) as { files: Record<string, ExpectedFile> }).files;
const pth = (name: string): Uint8Array => readFileSync(fixturePath(`pth/${name}`));
const PWNED = '/tmp/PWNED_BY_PTH';

describe('readPyTorchCheckpoint: every tensor of the fixtures, exactly', () => {
  for (const file of ['mixed-dtypes-zip.pth', 'mixed-dtypes-legacy.pth']) {
    it(`${file}: values, shapes and dtypes (views, transposes, 0-dim and empty tensors)`, () => {
      const expected = EXPECTED[file];
      const checkpoint = readPyTorchCheckpoint(pth(file));
      expect(checkpoint.format).toBe(expected.format);
      expect(checkpoint.picked).toBeUndefined();
      expect(checkpoint.stripped).toEqual([]);
      expect(Object.keys(checkpoint.tensors)).toEqual(Object.keys(expected.tensors!));
      for (const [key, want] of Object.entries(expected.tensors!)) {
        const got = checkpoint.tensors[key];
        expect(got.dtype, key).toBe(want.dtype);
        expect(got.shape, key).toEqual(want.shape);
        expect(Array.from(got.data), key).toEqual(want.values);
      }
    });
  }

  for (const file of ['resnet32-state-dict-zip.pth', 'resnet32-state-dict-legacy.pth', 'resnet32-checkpoint-module-prefix-zip.pth']) {
    it(`${file}: the keys in order, and the same tensors in every format`, () => {
      const checkpoint = readPyTorchCheckpoint(pth(file));
      const expected = EXPECTED[file];
      expect(checkpoint.format).toBe(expected.format);
      const reference = readPyTorchCheckpoint(pth('resnet32-state-dict-zip.pth'));
      const keys = expected.keys!.map((k) => k.replace(/^module\./, ''));
      expect(Object.keys(checkpoint.tensors)).toEqual(keys);
      for (const key of keys) {
        expect(checkpoint.tensors[key].dtype).toBe(reference.tensors[key].dtype);
        expect(checkpoint.tensors[key].shape).toEqual(reference.tensors[key].shape);
        expect(checkpoint.tensors[key].data).toEqual(reference.tensors[key].data);
      }
    });
  }

  it("resnet32-state-dict-zip.pth: each tensor's sum is PyTorch's (float64 sums of the stored values)", () => {
    const { tensors } = readPyTorchCheckpoint(pth('resnet32-state-dict-zip.pth'));
    const sums = EXPECTED['resnet32-state-dict-zip.pth'].sums!;
    expect(Object.keys(sums).length).toBeGreaterThan(100);
    for (const [key, want] of Object.entries(sums)) {
      let sum = 0;
      let abs = 0;
      for (const v of tensors[key].data) {
        sum += v;
        abs += Math.abs(v);
      }
      // Only the summation order differs: a few float64 ulps of the sum of |x|.
      expect(Math.abs(sum - want), key).toBeLessThanOrEqual(1e-12 * (abs + 1));
    }
  });

  it('a checkpoint dict: weights picked from "state_dict", "module." stripped', () => {
    const checkpoint = readPyTorchCheckpoint(pth('resnet32-checkpoint-module-prefix-zip.pth'));
    expect(checkpoint.picked).toBe('state_dict');
    expect(checkpoint.stripped).toEqual(['module.']);
    expect(checkpoint.skipped).toEqual([]);
    const raw = readPyTorchCheckpoint(pth('resnet32-checkpoint-module-prefix-zip.pth'), { checkpointKey: 'state_dict' });
    expect(Object.keys(raw.tensors)).toEqual(Object.keys(checkpoint.tensors));
  });

  it("akamaster's published .th files (legacy, state_dict, module.)", () => {
    for (const [net, count] of [
      ['resnet32', 157],
      ['resnet44', 217],
    ] as const) {
      const checkpoint = readPyTorchCheckpoint(readFileSync(fixturePath(`realworld/${net}.th`)));
      expect(checkpoint.format).toBe('legacy');
      expect(checkpoint.picked).toBe('state_dict');
      expect(checkpoint.stripped).toEqual(['module.']);
      expect(Object.keys(checkpoint.tensors)).toHaveLength(count);
      expect(checkpoint.tensors['linear.weight'].shape).toEqual([10, 64]);
    }
  });
});

describe('loadPyTorchWeights and createModel read checkpoints', () => {
  it("createModel('resnet32', { weights: <akamaster .th> }) loads strictly and reports the clean-up", async () => {
    const model = await createModel('resnet32', {
      weights: fixturePath('realworld/resnet32.th'),
      weightsOptions: { strict: true },
    });
    try {
      const fresh = await createModel('resnet32', { init: 'zeros' });
      try {
        const report = await loadPyTorchWeights(fresh, readFileSync(fixturePath('realworld/resnet32.th')));
        expect(report.checkpoint).toEqual({ format: 'legacy', picked: 'state_dict', stripped: ['module.'], skipped: [] });
        expect(report.missing).toEqual([]);
        expect(report.unexpected).toEqual([]);
        expect(report.ignored).toEqual([]);
        expect(report.loaded).toHaveLength(157);
        const a = model.getWeights();
        const b = fresh.getWeights();
        for (let i = 0; i < a.length; i++) expect(a[i].dataSync()).toEqual(b[i].dataSync());
      } finally {
        fresh.dispose();
      }
    } finally {
      model.dispose();
    }
  });

  it('zip, legacy and checkpoint files of one ResNet-32 give the same model', async () => {
    const models: tf.LayersModel[] = [];
    try {
      for (const file of ['resnet32-state-dict-zip.pth', 'resnet32-state-dict-legacy.pth', 'resnet32-checkpoint-module-prefix-zip.pth']) {
        const model = await createModel('resnet32', { init: 'zeros' });
        models.push(model);
        const report = await loadPyTorchWeights(model, fixturePath(`pth/${file}`));
        expect(report.loaded).toHaveLength(157);
      }
      const [a, ...rest] = models.map((m) => m.getWeights().map((w) => w.dataSync()));
      for (const b of rest) expect(b).toEqual(a);
    } finally {
      for (const m of models) m.dispose();
    }
  });
});

describe('hostile, whole-module and truncated files', () => {
  for (const [file, global] of [
    ['evil-os-system-zip.pth', 'posix.system'],
    ['evil-os-system-legacy.pth', 'posix.system'],
    ['evil-builtins-eval-zip.pth', 'builtins.eval'],
  ] as const) {
    it(`${file}: refused, naming ${global}; nothing runs`, async () => {
      rmSync(PWNED, { force: true });
      expect(() => readPyTorchCheckpoint(pth(file))).toThrow(PyTorchFileError);
      expect(() => readPyTorchCheckpoint(pth(file))).toThrow(global);
      const model = await createModel('resnet20', { init: 'zeros' });
      try {
        await expect(loadPyTorchWeights(model, fixturePath(`pth/${file}`))).rejects.toThrow(PyTorchFileError);
      } finally {
        model.dispose();
      }
      expect(existsSync(PWNED)).toBe(false);
    });
  }

  it('a pickled nn.Module is refused, naming its class and pointing to state_dict()', () => {
    expect(() => readPyTorchCheckpoint(pth('whole-module-zip.pth'))).toThrow(PyTorchFileError);
    expect(() => readPyTorchCheckpoint(pth('whole-module-zip.pth'))).toThrow(/torch\.nn\.modules\.container\.Sequential.*model\.state_dict\(\)/);
  });

  for (const file of ['corrupt-truncated-zip.pth', 'corrupt-truncated-legacy.pth']) {
    it(`${file}: a typed error`, () => {
      expect(() => readPyTorchCheckpoint(pth(file))).toThrow(PyTorchFileError);
    });
  }

  it('every truncation of the zip and legacy fixtures throws the typed error', () => {
    for (const file of ['mixed-dtypes-zip.pth', 'mixed-dtypes-legacy.pth']) {
      const bytes = pth(file);
      for (let n = 0; n < bytes.length; n++) {
        const cut = bytes.subarray(0, n);
        let error: unknown;
        try {
          readPyTorchCheckpoint(cut);
        } catch (e) {
          error = e;
        }
        // Neither format has trailing bytes it does not need: every cut must be refused.
        expect(error, `${file} cut at ${n} of ${bytes.length} read without error`).toBeDefined();
        // The first bytes do not yet show the format: those prefixes are reported as what they are not.
        const sniffable = file.includes('zip') ? 4 : 2; // "PK\x03\x04"; PROTO and its version
        expect(error, `${file} cut at ${n}`).toBeInstanceOf(n < sniffable ? SafetensorsError : PyTorchFileError);
      }
    }
  });
});

describe('checkpoint clean-up as timm (files written by the test writer)', () => {
  const w = (v: number): SaveTensor => ({ dtype: 'float32', shape: [2], data: [v, -v] });
  const weightsOf = (c: { tensors: Record<string, { data: ArrayLike<number> }> }): number => c.tensors['fc.weight'].data[0];

  it('auto: state_dict_ema, then model_ema (useEma, when not None), then state_dict, then model, else the object', () => {
    const all = {
      state_dict_ema: { 'fc.weight': w(1) },
      model_ema: { 'fc.weight': w(2) },
      state_dict: { 'fc.weight': w(3) },
      model: { 'fc.weight': w(4) },
      epoch: 7,
    };
    expect(weightsOf(readPyTorchCheckpoint(torchSave(all)))).toBe(1);
    expect(readPyTorchCheckpoint(torchSave(all)).picked).toBe('state_dict_ema');
    expect(weightsOf(readPyTorchCheckpoint(torchSave({ ...all, state_dict_ema: null })))).toBe(2);
    expect(weightsOf(readPyTorchCheckpoint(torchSave(all), { useEma: false }))).toBe(3);
    const { state_dict: _s, ...noState } = all;
    expect(weightsOf(readPyTorchCheckpoint(torchSave(noState), { useEma: false }))).toBe(4);
    expect(readPyTorchCheckpoint(torchSave({ 'fc.weight': w(5), step: 3 })).skipped).toEqual(['step']);
    expect(weightsOf(readPyTorchCheckpoint(torchSave(all), { checkpointKey: 'model' }))).toBe(4);
  });

  it('checkpointKey names a missing entry, or a dict without tensors: typed errors naming the keys', () => {
    const file = torchSave({ state_dict: { 'fc.weight': w(1) }, epoch: 3 });
    expect(() => readPyTorchCheckpoint(file, { checkpointKey: 'ema' })).toThrow(/"ema" is not in the checkpoint; its keys are "state_dict", "epoch"/);
    expect(() => readPyTorchCheckpoint(file, { checkpointKey: '' })).toThrow(/holds no tensors.*checkpointKey/);
    expect(() => readPyTorchCheckpoint(torchSave({ net: { 'fc.weight': w(1) } }))).toThrow(PyTorchFileError);
    expect(() => readPyTorchCheckpoint(torchSave(w(1)))).toThrow(/a single tensor/);
    expect(() => readPyTorchCheckpoint(file, { useEma: 'yes' as never })).toThrow(/useEma must be true or false/);
  });

  it('strips module. then _orig_mod. from every key, and says so; clashes are errors', () => {
    const c = readPyTorchCheckpoint(torchSave({ 'module._orig_mod.fc.weight': w(1), '_orig_mod.fc.bias': w(2) }));
    expect(Object.keys(c.tensors)).toEqual(['fc.weight', 'fc.bias']);
    expect(c.stripped).toEqual(['module.', '_orig_mod.']);
    expect(() => readPyTorchCheckpoint(torchSave({ 'module.fc.weight': w(1), 'fc.weight': w(2) }))).toThrow(/two tensors named "fc.weight"/);
  });

  it('safetensors files are sniffed by their bytes and cleaned the same way', () => {
    const bytes = writeSafetensors({ 'module.fc.weight': { dtype: 'F16', shape: [2], data: [0.5, -1] } });
    const c = readPyTorchCheckpoint(bytes);
    expect(c.format).toBe('safetensors');
    expect(c.stripped).toEqual(['module.']);
    expect(c.tensors['fc.weight']).toEqual({ dtype: 'float16', shape: [2], data: new Float32Array([0.5, -1]) });
  });

  it('keys such as __proto__ are ordinary keys', () => {
    const c = readPyTorchCheckpoint(
      torchSave(
        new Map([
          ['__proto__', w(1)],
          ['constructor', w(2)],
        ]),
      ),
    );
    expect(Object.getPrototypeOf(c.tensors)).toBeNull();
    expect(Object.keys(c.tensors)).toEqual(['__proto__', 'constructor']);
    expect(c.tensors['__proto__'].data).toEqual(new Float32Array([1, -1]));
    expect(({} as Record<string, unknown>).dtype).toBeUndefined();
  });
});

describe('formats: archive names, byte order, ZIP64, refusals', () => {
  const tensors = {
    a: { dtype: 'float32', shape: [2, 3], data: [1, 2, 3, 4, 5, -6.5] },
    b: { dtype: 'int64', shape: [], data: [-(2 ** 40)] },
    c: { dtype: 'float16', shape: [1], data: [0.25] },
  } as const satisfies Record<string, SaveTensor>;
  const plain = (c: ReturnType<typeof readPyTorchCheckpoint>): Record<string, number[]> =>
    Object.fromEntries(Object.entries(c.tensors).map(([k, t]) => [k, Array.from(t.data)]));
  const want = { a: [1, 2, 3, 4, 5, -6.5], b: [-(2 ** 40)], c: [0.25] };

  it('any archive folder name, ZIP64 records, big-endian zip and legacy files, the pre-0.4 tar layout: the same values', () => {
    for (const options of [
      { archive: 'my model v2' },
      { zip64: true },
      { bigEndian: true },
      { format: 'legacy' as const },
      { format: 'legacy' as const, bigEndian: true },
      { format: 'tar' as const },
    ]) {
      const c = readPyTorchCheckpoint(torchSave(tensors, options));
      expect(c.format, JSON.stringify(options)).toBe(options.format ?? 'zip');
      expect(plain(c), JSON.stringify(options)).toEqual(want);
    }
  });

  it('compressed zip entries, broken tar archives and other files are refused clearly', () => {
    expect(() => readPyTorchCheckpoint(torchSave(tensors, { method: 8 }))).toThrow(/compressed \(method 8, deflate\).*re-save/);
    const tar = new Uint8Array(1024);
    tar.set(new TextEncoder().encode('ustar'), 257);
    expect(() => readPyTorchCheckpoint(tar)).toThrow(/tar archive: member "" has size ""; expected an octal number/);
    const truncatedTar = torchSave(tensors, { format: 'tar' }).subarray(0, 1500);
    expect(() => readPyTorchCheckpoint(truncatedTar)).toThrow(PyTorchFileError);
    expect(() => readPyTorchCheckpoint(new TextEncoder().encode('<html>not found</html>'))).toThrow(SafetensorsError);
    expect(() => readPyTorchCheckpoint(new TextEncoder().encode('<html>not found</html>'))).toThrow(
      /neither a PyTorch checkpoint .* nor a valid safetensors file: header length/,
    );
    expect(() => readPyTorchCheckpoint(new Uint8Array(0))).toThrow(SafetensorsError);
  });

  it('many keys naming one storage: refused before reading, however small the file', () => {
    // A legacy file written by hand: one 1,000-element float32 storage, its tensor memoized
    // (LONG_BINPUT 0) and named again by `copies` more keys (LONG_BINGET 0): each key would be
    // read into its own 4,000-byte array.
    const file = (copies: number): Uint8Array => {
      const out: number[] = [];
      const raw = (t: string): void => void out.push(...Array.from(t, (c) => c.charCodeAt(0)));
      const u32 = (n: number): void => void out.push(n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24);
      const str = (t: string): void => {
        raw('X');
        u32(t.length);
        raw(t);
      };
      raw('\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19\x2e\x80\x02M\xe9\x03.\x80\x02}.');
      raw('\x80\x02}(');
      str('weight');
      raw('ctorch._utils\n_rebuild_tensor_v2\n((');
      str('storage');
      raw('ctorch\nFloatStorage\n');
      str('0');
      str('cpu');
      raw('M\xe8\x03NtQK\x00(M\xe8\x03t(K\x01t\x89ccollections\nOrderedDict\n)RtRr\x00\x00\x00\x00');
      for (let i = 0; i < copies; i++) {
        str(`copy${i}`);
        raw('j\x00\x00\x00\x00');
      }
      raw('u.\x80\x02](');
      str('0');
      raw('e.\xe8\x03\x00\x00\x00\x00\x00\x00');
      return Uint8Array.from([...out, ...new Uint8Array(4000)]);
    };
    // Tied weights (two keys, one storage) read as two tensors.
    const tied = readPyTorchCheckpoint(file(1));
    expect(Object.keys(tied.tensors)).toEqual(['weight', 'copy0']);
    expect(tied.tensors.copy0.data).toEqual(new Float32Array(1000));
    // 100 copies: 404,000 bytes of arrays from a 5,700-byte file.
    expect(file(100).length).toBeLessThan(6000);
    expect(() => readPyTorchCheckpoint(file(100))).toThrow(PyTorchFileError);
    expect(() => readPyTorchCheckpoint(file(100))).toThrow(/101 tensors span 404000 bytes, more than 8× the \d+-byte file/);
  });

  it('declared sizes beyond the file and views beyond their storage are refused before any allocation', () => {
    const file = torchSave({ a: { dtype: 'float32', shape: [4], data: [1, 2, 3, 4] } });
    const text = new TextDecoder('latin1').decode(file);
    // The storage record says 4 elements (BININT 4) and the size tuple [4]: patch each in turn.
    const patched = (from: string, to: string): Uint8Array => {
      const at = text.indexOf(from);
      expect(at).toBeGreaterThan(0);
      const out = file.slice();
      out.set(
        Uint8Array.from(to, (ch) => ch.charCodeAt(0)),
        at,
      );
      return out;
    };
    const numel = 'cpuJ\x04\x00\x00\x00';
    expect(() => readPyTorchCheckpoint(patched(numel, 'cpuJ\xff\xff\xff\x7f'))).toThrow(/declares 2147483647 float32 elements/);
    const size = '(J\x04\x00\x00\x00t(J\x01';
    expect(() => readPyTorchCheckpoint(patched(size, '(J\x05\x00\x00\x00t(J\x01'))).toThrow(/reaches element 4 of a 4-element storage/);
    const broadcast = patched(size + '\x00\x00\x00t', '(J\xff\xff\xff\x7ft(J\x00\x00\x00\x00t');
    expect(() => readPyTorchCheckpoint(broadcast)).toThrow(/more than the whole/);
  });
});
