/**
 * libjpeg-compatible color reconstruction for jpeg-js output: "fancy"
 * (triangle) chroma upsampling and the integer YCbCr → RGB conversion of
 * libjpeg(-turbo), which Pillow uses. jpeg-js on its own replicates
 * subsampled chroma (nearest neighbour) and truncates its float color
 * conversion, which shifts colors by several levels on the usual 4:2:0 photos.
 * @module
 * @internal
 */

/** Sampling factors of one component, from the JPEG frame header. @internal */
interface ComponentSampling {
  id: number;
  h: number;
  v: number;
}

/** What {@link readJpegFrame} learns from the markers before the first scan. @internal */
export interface JpegFrameInfo {
  width: number;
  height: number;
  components: ComponentSampling[];
  /** An Adobe APP14 marker is present (it may override the color transform). */
  adobe: boolean;
}

/**
 * Reads the frame header (SOF0/1/2) of a JPEG file, or `undefined` when the
 * markers are malformed or a scan starts first.
 * @internal
 */
export function readJpegFrame(bytes: Uint8Array): JpegFrameInfo | undefined {
  let adobe = false;
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1];
    if (marker === 0xff) {
      i += 1;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    const length = (bytes[i + 2] << 8) | bytes[i + 3];
    const seg = i + 4;
    if (marker === 0xee && String.fromCharCode(...bytes.subarray(seg, seg + 5)) === 'Adobe') adobe = true;
    if (marker === 0xc0 || marker === 0xc1 || marker === 0xc2) {
      const height = (bytes[seg + 1] << 8) | bytes[seg + 2];
      const width = (bytes[seg + 3] << 8) | bytes[seg + 4];
      const n = bytes[seg + 5];
      if (seg + 6 + n * 3 > bytes.length) return undefined;
      const components: ComponentSampling[] = [];
      for (let c = 0; c < n; c++) {
        const at = seg + 6 + c * 3;
        components.push({ id: bytes[at], h: bytes[at + 1] >> 4, v: bytes[at + 1] & 15 });
      }
      return { width, height, components, adobe };
    }
    if (marker === 0xda || marker === 0xd9) return undefined;
    i += 2 + length;
  }
  return undefined;
}

/**
 * The chroma subsampling of a plain YCbCr frame that {@link ycbcrToRgb}
 * reproduces — 4:4:4 (`[1, 1]`), 4:2:2 (`[2, 1]`) or 4:2:0 (`[2, 2]`), as the
 * luma factors over chroma factors `[1, 1]` — or `undefined` for anything
 * else (grayscale, CMYK, Adobe-transformed or RGB-tagged files, other
 * factors), which jpeg-js then converts on its own.
 * @internal
 */
export function ycbcrSubsampling(frame: JpegFrameInfo): [number, number] | undefined {
  const [y, cb, cr] = frame.components;
  if (frame.components.length !== 3 || frame.adobe) return undefined;
  if (y.id === 0x52 && cb.id === 0x47 && cr.id === 0x42) return undefined; // 'R','G','B': no transform
  if (cb.h !== 1 || cb.v !== 1 || cr.h !== 1 || cr.v !== 1) return undefined;
  const ok = (y.h === 1 && y.v === 1) || (y.h === 2 && y.v === 1) || (y.h === 2 && y.v === 2);
  return ok ? [y.h, y.v] : undefined;
}

const SCALEBITS = 16;
const ONE_HALF = 1 << (SCALEBITS - 1);
const fix = (x: number): number => Math.floor(x * (1 << SCALEBITS) + 0.5);

/** libjpeg's `build_ycc_rgb_table`, indexed by the 8-bit Cb or Cr sample. */
const TABLES = (() => {
  const crR = new Int32Array(256);
  const cbB = new Int32Array(256);
  const crG = new Int32Array(256);
  const cbG = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    const x = i - 128;
    crR[i] = (fix(1.402) * x + ONE_HALF) >> SCALEBITS;
    cbB[i] = (fix(1.772) * x + ONE_HALF) >> SCALEBITS;
    crG[i] = -fix(0.71414) * x;
    cbG[i] = -fix(0.34414) * x + ONE_HALF;
  }
  return { crR, cbB, crG, cbG };
})();

const clamp8 = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : v);

/**
 * Rebuilds RGB from jpeg-js's raw (`colorTransform: false`) output, whose
 * three channels are Y at full resolution and Cb, Cr replicated from their
 * subsampled planes: takes the planes back and converts them with
 * {@link ycbcrPlanesToRgb}.
 * @internal
 */
export function ycbcrToRgb(raw: Uint8Array, height: number, width: number, [hs, vs]: [number, number]): Uint8Array {
  const cw = Math.ceil(width / hs);
  const chh = Math.ceil(height / vs);
  const y = new Uint8Array(width * height);
  for (let p = 0; p < width * height; p++) y[p] = raw[p * 3];
  const cb = subPlane(raw, height, width, hs, vs, cw, chh, 1);
  const cr = subPlane(raw, height, width, hs, vs, cw, chh, 2);
  return ycbcrPlanesToRgb({ data: y, stride: width }, { data: cb, stride: cw }, { data: cr, stride: cw }, width, height, [hs, vs]);
}

/** A plane of samples, `stride` per row. @internal */
export interface SamplePlane {
  data: Uint8Array;
  stride: number;
}

/**
 * Converts Y, Cb, Cr planes (chroma subsampled by `hs × vs`) to RGB as
 * libjpeg does: the chroma planes are upsampled with its fancy triangle
 * filter (`h2v1_fancy_upsample`, `h2v2_fancy_upsample`: weights 3/4 and 1/4
 * per axis, edge samples replicated, the same biased integer rounding; plain
 * replication for planes of at most 2 columns, as libjpeg) and converted with
 * its fixed-point tables.
 * @internal
 */
export function ycbcrPlanesToRgb(
  y: SamplePlane,
  cbPlane: SamplePlane,
  crPlane: SamplePlane,
  width: number,
  height: number,
  [hs, vs]: [number, number],
): Uint8Array {
  const cw = Math.ceil(width / hs);
  const chh = Math.ceil(height / vs);
  const cb = upsample(cbPlane, cw, chh, width, height, hs, vs);
  const cr = upsample(crPlane, cw, chh, width, height, hs, vs);
  const { crR, cbB, crG, cbG } = TABLES;
  const out = new Uint8Array(width * height * 3);
  for (let row = 0, q = 0; row < height; row++) {
    for (let col = 0; col < width; col++, q += 3) {
      const p = row * width + col;
      const l = y.data[row * y.stride + col];
      const b = cb[p];
      const r = cr[p];
      out[q] = clamp8(l + crR[r]);
      out[q + 1] = clamp8(l + ((cbG[b] + crG[r]) >> SCALEBITS));
      out[q + 2] = clamp8(l + cbB[b]);
    }
  }
  return out;
}

/** Channel `c` of the replicated output, sampled back at `cw × chh`. */
function subPlane(raw: Uint8Array, height: number, width: number, hs: number, vs: number, cw: number, chh: number, c: number): Uint8Array {
  const plane = new Uint8Array(cw * chh);
  for (let j = 0; j < chh; j++) {
    const row = Math.min(j * vs, height - 1) * width;
    for (let i = 0; i < cw; i++) plane[j * cw + i] = raw[(row + Math.min(i * hs, width - 1)) * 3 + c];
  }
  return plane;
}

/** libjpeg's fancy upsampling of a `cw × chh` plane by `hs × vs` (each 1 or 2), cut to `width × height`, row-major. */
function upsample({ data: plane, stride }: SamplePlane, cw: number, chh: number, width: number, height: number, hs: number, vs: number): Uint8Array {
  if (hs === 1 && vs === 1) {
    if (stride === width) return plane;
    const copy = new Uint8Array(width * height);
    for (let row = 0; row < height; row++) copy.set(plane.subarray(row * stride, row * stride + width), row * width);
    return copy;
  }
  // libjpeg upsamples planes of 1 or 2 columns by replication ("box"), not fancy.
  const fancy = cw > 2;
  const out = new Uint8Array(width * height);
  const at = (j: number, i: number): number => plane[Math.min(Math.max(j, 0), chh - 1) * stride + Math.min(Math.max(i, 0), cw - 1)];
  for (let y = 0; y < height; y++) {
    const j = vs === 2 ? y >> 1 : y;
    // Vertical neighbour: the row above for even output rows, below for odd.
    const jn = vs === 2 ? (y & 1 ? j + 1 : j - 1) : j;
    for (let x = 0; x < width; x++) {
      const i = x >> 1;
      const odd = x & 1;
      const ni = odd ? i + 1 : i - 1;
      let v: number;
      if (!fancy) {
        v = at(j, i);
      } else if (vs === 2) {
        // h2v2: column sums 3·near + far, then 3/4, 1/4 across; /16 with bias 8 (even) or 7 (odd).
        const here = at(j, i) * 3 + at(jn, i);
        const there = at(j, ni) * 3 + at(jn, ni);
        v = (here * 3 + there + (odd ? 7 : 8)) >> 4;
      } else {
        // h2v1: 3/4 nearer + 1/4 further; /4 with bias 1 (even) or 2 (odd).
        v = (at(j, i) * 3 + at(j, ni) + (odd ? 2 : 1)) >> 2;
      }
      out[y * width + x] = v;
    }
  }
  return out;
}
