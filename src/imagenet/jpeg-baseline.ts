/**
 * A decoder of sequential (baseline and extended, Huffman-coded, 8-bit) JPEG
 * files into their component planes, with libjpeg's accurate integer inverse
 * DCT (`jpeg_idct_islow`, the default of libjpeg-turbo and so of Pillow),
 * bit for bit: the planes equal libjpeg's, so the color step of
 * `jpeg-color.ts` gives Pillow's pixels. Files it does not cover
 * (progressive, arithmetic-coded, 12-bit, more than 4 components) are left to
 * jpeg-js by returning `undefined`.
 * @module
 * @internal
 */

/** One decoded component: its samples at its own resolution, `stride` per row. @internal */
export interface JpegPlane {
  id: number;
  h: number;
  v: number;
  /** Samples, row-major, `stride` per row (padded to whole blocks). */
  data: Uint8Array;
  stride: number;
  /** The component's size in samples: ceil(image size · factor / max factor). */
  width: number;
  height: number;
}

/** A decoded sequential JPEG. @internal */
export interface JpegPlanes {
  width: number;
  height: number;
  planes: JpegPlane[];
}

const ZIGZAG = Int32Array.from([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22,
  15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);

interface Huffman {
  maxcode: Int32Array; // by length 1..16, -1 when none
  valptr: Int32Array;
  mincode: Int32Array;
  values: Uint8Array;
}

function buildHuffman(counts: Uint8Array, values: Uint8Array): Huffman {
  const maxcode = new Int32Array(18).fill(-1);
  const valptr = new Int32Array(17);
  const mincode = new Int32Array(17);
  let code = 0;
  let k = 0;
  for (let l = 1; l <= 16; l++) {
    const n = counts[l - 1];
    if (n > 0) {
      valptr[l] = k;
      mincode[l] = code;
      code += n;
      k += n;
      maxcode[l] = code - 1;
    }
    code <<= 1;
  }
  return { maxcode, valptr, mincode, values };
}

interface Component {
  id: number;
  h: number;
  v: number;
  tq: number;
  blocksPerLine: number;
  blocksPerColumn: number;
  coefficients: Int16Array;
  pred: number;
  dc: Huffman | undefined;
  ac: Huffman | undefined;
}

class Unsupported extends Error {}

/** The largest image decoded (jpeg-js's default limit too). */
const MAX_PIXELS = 100e6;

/**
 * Decodes a sequential Huffman JPEG into its component planes, or returns
 * `undefined` when the file is of a kind left to jpeg-js. Throws on corrupt
 * data the caller reports as a decode failure.
 * @internal
 */
export function decodeSequentialJpeg(bytes: Uint8Array): JpegPlanes | undefined {
  try {
    return decode(bytes);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

function decode(bytes: Uint8Array): JpegPlanes {
  const qt: (Int32Array | undefined)[] = [];
  const dcTables: (Huffman | undefined)[] = [];
  const acTables: (Huffman | undefined)[] = [];
  let components: Component[] = [];
  let width = 0;
  let height = 0;
  let hmax = 1;
  let vmax = 1;
  let restartInterval = 0;
  let pos = 2;
  const u16 = (at: number): number => {
    if (at + 2 > bytes.length) throw new Error('truncated JPEG');
    return (bytes[at] << 8) | bytes[at + 1];
  };
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error('not a JPEG (no SOI marker)');
  for (;;) {
    if (pos + 2 > bytes.length) throw new Error('truncated JPEG (no EOI marker)');
    if (bytes[pos] !== 0xff) {
      pos++; // libjpeg skips garbage before a marker
      continue;
    }
    const marker = bytes[pos + 1];
    if (marker === 0xff) {
      pos++;
      continue;
    }
    pos += 2;
    if (marker === 0xd9) break; // EOI
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    const length = u16(pos);
    const seg = pos + 2;
    const end = pos + length;
    if (end > bytes.length || length < 2) throw new Error('truncated JPEG segment');
    switch (marker) {
      case 0xdb: {
        // DQT
        let at = seg;
        while (at < end) {
          const pq = bytes[at] >> 4;
          const tq = bytes[at] & 15;
          at++;
          const table = new Int32Array(64);
          for (let k = 0; k < 64; k++) {
            table[ZIGZAG[k]] = pq === 0 ? bytes[at + k] : u16(at + 2 * k);
          }
          at += pq === 0 ? 64 : 128;
          qt[tq] = table;
        }
        break;
      }
      case 0xc4: {
        // DHT
        let at = seg;
        while (at < end) {
          const tc = bytes[at] >> 4;
          const th = bytes[at] & 15;
          const counts = bytes.subarray(at + 1, at + 17);
          let total = 0;
          for (const c of counts) total += c;
          const values = bytes.slice(at + 17, at + 17 + total);
          (tc === 0 ? dcTables : acTables)[th] = buildHuffman(counts, values);
          at += 17 + total;
        }
        break;
      }
      case 0xc0:
      case 0xc1: {
        // SOF0 / SOF1: sequential, Huffman
        if (bytes[seg] !== 8) throw new Unsupported();
        height = u16(seg + 1);
        width = u16(seg + 3);
        const n = bytes[seg + 5];
        if (n < 1 || n > 4 || width === 0 || height === 0) throw new Unsupported();
        if (width * height > MAX_PIXELS) throw new Error(`a ${width}×${height} image is beyond ${MAX_PIXELS / 1e6} megapixels`);
        components = [];
        for (let c = 0; c < n; c++) {
          const at = seg + 6 + 3 * c;
          const h = bytes[at + 1] >> 4;
          const v = bytes[at + 1] & 15;
          if (h < 1 || h > 4 || v < 1 || v > 4) throw new Error('bad sampling factors');
          components.push({
            id: bytes[at],
            h,
            v,
            tq: bytes[at + 2],
            blocksPerLine: 0,
            blocksPerColumn: 0,
            coefficients: new Int16Array(0),
            pred: 0,
            dc: undefined,
            ac: undefined,
          });
        }
        hmax = Math.max(...components.map((c) => c.h));
        vmax = Math.max(...components.map((c) => c.v));
        const mcusPerLine = Math.ceil(width / (8 * hmax));
        const mcusPerColumn = Math.ceil(height / (8 * vmax));
        for (const c of components) {
          c.blocksPerLine = mcusPerLine * c.h;
          c.blocksPerColumn = mcusPerColumn * c.v;
          c.coefficients = new Int16Array(c.blocksPerLine * c.blocksPerColumn * 64);
        }
        break;
      }
      case 0xc2:
      case 0xc3:
      case 0xc5:
      case 0xc6:
      case 0xc7:
      case 0xc9:
      case 0xca:
      case 0xcb:
      case 0xcd:
      case 0xce:
      case 0xcf:
        throw new Unsupported(); // progressive, lossless, hierarchical or arithmetic-coded
      case 0xdd:
        restartInterval = u16(seg);
        break;
      case 0xda: {
        // SOS
        if (components.length === 0) throw new Error('a scan before the frame header');
        const n = bytes[seg];
        const scan: Component[] = [];
        for (let i = 0; i < n; i++) {
          const id = bytes[seg + 1 + 2 * i];
          const tables = bytes[seg + 2 + 2 * i];
          const c = components.find((x) => x.id === id);
          if (c === undefined) throw new Error(`a scan names component ${id}, which the frame lacks`);
          c.dc = dcTables[tables >> 4];
          c.ac = acTables[tables & 15];
          if (c.dc === undefined || c.ac === undefined) throw new Error('a scan uses an undefined Huffman table');
          scan.push(c);
        }
        pos = decodeScan(bytes, end, scan, { width, height, hmax, vmax, restartInterval });
        continue;
      }
      default:
        break; // APPn, COM, DNL...: skipped
    }
    pos = end;
  }
  if (components.length === 0) throw new Error('no frame header');
  const planes = components.map((c): JpegPlane => {
    const q = qt[c.tq];
    if (q === undefined) throw new Error(`component ${c.id} uses undefined quantization table ${c.tq}`);
    const stride = c.blocksPerLine * 8;
    const data = new Uint8Array(stride * c.blocksPerColumn * 8);
    const block = new Int32Array(64);
    const workspace = new Float64Array(64);
    for (let row = 0; row < c.blocksPerColumn; row++) {
      for (let col = 0; col < c.blocksPerLine; col++) {
        const at = (row * c.blocksPerLine + col) * 64;
        for (let k = 0; k < 64; k++) block[k] = c.coefficients[at + k] * q[k];
        idctIslow(block, workspace, { data, offset: row * 8 * stride + col * 8, stride });
      }
    }
    return {
      id: c.id,
      h: c.h,
      v: c.v,
      data,
      stride,
      width: Math.ceil((width * c.h) / hmax),
      height: Math.ceil((height * c.v) / vmax),
    };
  });
  return { width, height, planes };
}

/** Decodes one scan's entropy-coded data; returns the offset of the marker after it. */
/** What a scan needs of the frame. */
interface FrameLayout {
  width: number;
  height: number;
  hmax: number;
  vmax: number;
  restartInterval: number;
}

function decodeScan(bytes: Uint8Array, start: number, scan: Component[], { width, height, hmax, vmax, restartInterval }: FrameLayout): number {
  let pos = start;
  let bitBuffer = 0;
  let bitCount = 0;
  const readBit = (): number => {
    if (bitCount === 0) {
      let byte = 0;
      if (pos < bytes.length && bytes[pos] === 0xff && pos + 1 < bytes.length && bytes[pos + 1] !== 0x00) {
        byte = 0; // a marker: libjpeg feeds zeros
      } else if (pos < bytes.length) {
        byte = bytes[pos];
        pos += byte === 0xff ? 2 : 1;
      }
      bitBuffer = byte;
      bitCount = 8;
    }
    bitCount--;
    return (bitBuffer >> bitCount) & 1;
  };
  const receive = (s: number): number => {
    let v = 0;
    for (let i = 0; i < s; i++) v = (v << 1) | readBit();
    return v;
  };
  const extend = (v: number, s: number): number => (v < 1 << (s - 1) ? v - (1 << s) + 1 : v);
  const decodeHuffman = (t: Huffman): number => {
    let code = readBit();
    for (let l = 1; l <= 16; l++) {
      if (code <= t.maxcode[l]) return t.values[t.valptr[l] + code - t.mincode[l]] ?? 0;
      code = (code << 1) | readBit();
    }
    return 0; // a corrupt code: libjpeg warns and uses 0
  };
  const decodeBlock = (c: Component, at: number): void => {
    const out = c.coefficients;
    const t = decodeHuffman(c.dc!);
    const diff = t === 0 ? 0 : extend(receive(t), t);
    c.pred += diff;
    out[at] = c.pred;
    for (let k = 1; k < 64;) {
      const rs = decodeHuffman(c.ac!);
      const r = rs >> 4;
      const s = rs & 15;
      if (s !== 0) {
        k += r;
        if (k > 63) break;
        out[at + ZIGZAG[k]] = extend(receive(s), s);
        k++;
      } else if (r === 15) {
        k += 16;
      } else {
        break;
      }
    }
  };

  let mcus: number;
  let blockAt: (mcu: number, visit: (c: Component, at: number) => void) => void;
  if (scan.length === 1) {
    // A non-interleaved scan covers the component's own blocks only.
    const c = scan[0];
    const perLine = Math.ceil(Math.ceil((width * c.h) / hmax) / 8);
    const perColumn = Math.ceil(Math.ceil((height * c.v) / vmax) / 8);
    mcus = perLine * perColumn;
    blockAt = (mcu, visit) => {
      const row = Math.floor(mcu / perLine);
      const col = mcu % perLine;
      visit(c, (row * c.blocksPerLine + col) * 64);
    };
  } else {
    const mcusPerLine = Math.ceil(width / (8 * hmax));
    mcus = mcusPerLine * Math.ceil(height / (8 * vmax));
    blockAt = (mcu, visit) => {
      const mcuRow = Math.floor(mcu / mcusPerLine);
      const mcuCol = mcu % mcusPerLine;
      for (const c of scan) {
        for (let v = 0; v < c.v; v++) {
          for (let h = 0; h < c.h; h++) {
            const row = mcuRow * c.v + v;
            const col = mcuCol * c.h + h;
            visit(c, (row * c.blocksPerLine + col) * 64);
          }
        }
      }
    };
  }
  for (const c of scan) c.pred = 0;
  for (let mcu = 0; mcu < mcus; mcu++) {
    if (restartInterval > 0 && mcu > 0 && mcu % restartInterval === 0) {
      // Skip to the restart marker, then start afresh.
      bitCount = 0;
      while (pos + 1 < bytes.length && !(bytes[pos] === 0xff && bytes[pos + 1] >= 0xd0 && bytes[pos + 1] <= 0xd7)) {
        if (bytes[pos] === 0xff && bytes[pos + 1] !== 0x00 && bytes[pos + 1] !== 0xff) break; // another marker: leave it
        pos++;
      }
      if (pos + 1 < bytes.length && bytes[pos] === 0xff && bytes[pos + 1] >= 0xd0 && bytes[pos + 1] <= 0xd7) pos += 2;
      for (const c of scan) c.pred = 0;
    }
    blockAt(mcu, decodeBlock);
  }
  // Find the next marker.
  while (pos + 1 < bytes.length && !(bytes[pos] === 0xff && bytes[pos + 1] !== 0x00 && !(bytes[pos + 1] >= 0xd0 && bytes[pos + 1] <= 0xd7))) pos++;
  return pos;
}

// libjpeg's jidctint.c: CONST_BITS 13, PASS1_BITS 2, FIX(x) = round(x · 2^13).
const CONST_BITS = 13;
const PASS1_BITS = 2;
const F_0_298631336 = 2446;
const F_0_390180644 = 3196;
const F_0_541196100 = 4433;
const F_0_765366865 = 6270;
const F_0_899976223 = 7373;
const F_1_175875602 = 9633;
const F_1_501321110 = 12299;
const F_1_847759065 = 15137;
const F_1_961570560 = 16069;
const F_2_053119869 = 16819;
const F_2_562915447 = 20995;
const F_3_072711026 = 25172;

/** libjpeg's DESCALE: x / 2^n rounded (half up), with exact arithmetic beyond 32 bits. */
const descale = (x: number, n: number): number => Math.floor((x + 2 ** (n - 1)) / 2 ** n);

/** libjpeg's post-IDCT range limit: the sample is taken modulo 1024, then clamped (as `range_limit[x & RANGE_MASK]`). */
function rangeLimit(x: number): number {
  const i = x & 1023;
  if (i < 128) return i + 128;
  if (i < 512) return 255;
  if (i < 896) return 0;
  return i - 896;
}

/** `jpeg_idct_islow` on dequantized coefficients (natural order) into 8×8 samples at `out[offset]`. */
function idctIslow(block: Int32Array, ws: Float64Array, { data: out, offset, stride }: { data: Uint8Array; offset: number; stride: number }): void {
  // Pass 1: columns, into the workspace scaled by 2^PASS1_BITS.
  for (let c = 0; c < 8; c++) {
    const d0 = block[c];
    const d1 = block[8 + c];
    const d2 = block[16 + c];
    const d3 = block[24 + c];
    const d4 = block[32 + c];
    const d5 = block[40 + c];
    const d6 = block[48 + c];
    const d7 = block[56 + c];
    if (d1 === 0 && d2 === 0 && d3 === 0 && d4 === 0 && d5 === 0 && d6 === 0 && d7 === 0) {
      const dc = d0 * (1 << PASS1_BITS);
      for (let r = 0; r < 8; r++) ws[r * 8 + c] = dc;
      continue;
    }
    const [o0, o1, o2, o3, o4, o5, o6, o7] = butterfly(block, c, 8, CONST_BITS - PASS1_BITS);
    ws[c] = o0;
    ws[8 + c] = o1;
    ws[16 + c] = o2;
    ws[24 + c] = o3;
    ws[32 + c] = o4;
    ws[40 + c] = o5;
    ws[48 + c] = o6;
    ws[56 + c] = o7;
  }
  // Pass 2: rows, descaled by 2^(CONST_BITS + PASS1_BITS + 3), range-limited and centred.
  const shift = CONST_BITS + PASS1_BITS + 3;
  for (let r = 0; r < 8; r++) {
    const w = r * 8;
    const at = offset + r * stride;
    if (ws[w + 1] === 0 && ws[w + 2] === 0 && ws[w + 3] === 0 && ws[w + 4] === 0 && ws[w + 5] === 0 && ws[w + 6] === 0 && ws[w + 7] === 0) {
      const v = rangeLimit(descale(ws[w], PASS1_BITS + 3));
      for (let i = 0; i < 8; i++) out[at + i] = v;
      continue;
    }
    const o = butterfly(ws, w, 1, shift);
    for (let i = 0; i < 8; i++) out[at + i] = rangeLimit(o[i]);
  }
}

/** The 1-D islow butterfly of libjpeg on `src[at + k·step]`, k = 0..7; outputs descaled by 2^shift. */
function butterfly(src: ArrayLike<number>, at: number, step: number, shift: number): number[] {
  const d0 = src[at];
  const d1 = src[at + step];
  const d2 = src[at + 2 * step];
  const d3 = src[at + 3 * step];
  const d4 = src[at + 4 * step];
  const d5 = src[at + 5 * step];
  const d6 = src[at + 6 * step];
  const d7 = src[at + 7 * step];
  // Even part.
  let z1 = (d2 + d6) * F_0_541196100;
  const t2 = z1 + d6 * -F_1_847759065;
  const t3 = z1 + d2 * F_0_765366865;
  const t0 = (d0 + d4) * 2 ** CONST_BITS;
  const t1 = (d0 - d4) * 2 ** CONST_BITS;
  const t10 = t0 + t3;
  const t13 = t0 - t3;
  const t11 = t1 + t2;
  const t12 = t1 - t2;
  // Odd part.
  z1 = d7 + d1;
  let z2 = d5 + d3;
  let z3 = d7 + d3;
  let z4 = d5 + d1;
  const z5 = (z3 + z4) * F_1_175875602;
  let o0 = d7 * F_0_298631336;
  let o1 = d5 * F_2_053119869;
  let o2 = d3 * F_3_072711026;
  let o3 = d1 * F_1_501321110;
  z1 *= -F_0_899976223;
  z2 *= -F_2_562915447;
  z3 = z3 * -F_1_961570560 + z5;
  z4 = z4 * -F_0_390180644 + z5;
  o0 += z1 + z3;
  o1 += z2 + z4;
  o2 += z2 + z3;
  o3 += z1 + z4;
  return [
    descale(t10 + o3, shift),
    descale(t11 + o2, shift),
    descale(t12 + o1, shift),
    descale(t13 + o0, shift),
    descale(t13 - o0, shift),
    descale(t12 - o1, shift),
    descale(t11 - o2, shift),
    descale(t10 - o3, shift),
  ];
}
