// Bit-exact TypeScript port of the reference "hash init"
// (shared/golden/README.md, tools/hashinit.py): every value is a pure function
// of (salt, state-dict name, flat row-major index), computed with 32-bit
// integer arithmetic, then in double, then rounded once to float32.

const UTF8 = new TextEncoder();

/** FNV-1a, 32-bit, over the UTF-8 bytes of `s`. */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (const b of UTF8.encode(s)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/** The README's 32-bit integer mixer. */
export function mix(x: number): number {
  x = Math.imul((x ^ (x >>> 16)) >>> 0, 0x45d9f3b) >>> 0;
  x = Math.imul((x ^ (x >>> 16)) >>> 0, 0x45d9f3b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** `u(salt, name, i)` for i = 0 … n−1: doubles in [0, 1). */
export function hashUniform(salt: string, name: string, n: number): Float64Array {
  const seed = fnv1a32(`${salt}:${name}`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = mix((i + seed) >>> 0) / 4294967296;
  return out;
}

/** The value rule for a tensor name and shape, as a function of u (double in, double out). */
function ruleFor(name: string, shape: readonly number[]): (u: number) => number {
  const leaf = name.slice(name.lastIndexOf('.') + 1);
  const rank = shape.length;
  if (name === 'input') return (u) => 2 * u - 1;
  if (leaf === 'weight' && rank === 4) {
    const s = Math.sqrt(6 / (shape[1] * shape[2] * shape[3]));
    return (u) => (2 * u - 1) * s;
  }
  if (leaf === 'weight' && rank === 2) {
    const s = Math.sqrt(3 / shape[1]);
    return (u) => (2 * u - 1) * s;
  }
  if (leaf === 'bias' && rank === 1 && name.startsWith('fc')) return (u) => 0.1 * (2 * u - 1);
  if (leaf === 'weight') return (u) => 0.5 + 0.5 * u;
  if (leaf === 'bias') return (u) => 0.2 * (2 * u - 1);
  if (leaf === 'running_mean') return (u) => 0.2 * (2 * u - 1);
  if (leaf === 'running_var') return (u) => 0.5 + u;
  throw new Error(`hash init: no rule for '${name}'`);
}

/** The float32 values of tensor `name` of `shape`, in the reference's row-major layout. */
export function hashValue(salt: string, name: string, shape: readonly number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const rule = ruleFor(name, shape);
  const u = hashUniform(salt, name, n);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.fround(rule(u[i]));
  return out;
}

/** Hash-init values for every state-dict entry except `num_batches_tracked`. */
export function hashStateDict(
  salt: string,
  entries: ReadonlyArray<{ key: string; shape: readonly number[] }>,
): Record<string, { shape: number[]; data: Float32Array }> {
  const out: Record<string, { shape: number[]; data: Float32Array }> = Object.create(null);
  for (const { key, shape } of entries) {
    if (key.slice(key.lastIndexOf('.') + 1) === 'num_batches_tracked') continue;
    out[key] = { shape: [...shape], data: hashValue(salt, key, shape) };
  }
  return out;
}
