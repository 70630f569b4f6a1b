import type { onnx as OnnxTypes } from 'onnx-proto';
import { ConfigError } from '../errors.js';
import { onnx } from './onnx-proto.js';

export { onnx };

/**
 * Element types of the constants a lowering can write.
 *
 * @example
 * ```ts
 * const shape = ctx.constant([0, -1], [2], 'int64' satisfies OnnxElementType);
 * ```
 */
export type OnnxElementType = 'float32' | 'int64';

/** Every element type the exporter writes (the quantizer adds the integer ones). @internal */
export type TensorElementType = OnnxElementType | 'int32' | 'int8' | 'uint8';

/** ONNX's TensorProto.DataType codes. @internal */
export const ELEMENT_TYPES: Record<TensorElementType, number> = { float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7 };

/**
 * An attribute value: integers as numbers, floats wrapped (`{ float: 0.2 }`)
 * so that `1.0` and `1` stay distinct, strings as strings.
 *
 * @example
 * ```ts
 * const attributes: Record<string, OnnxAttributeValue> = { kernel_shape: [3, 3], alpha: { float: 0.2 }, auto_pad: 'SAME_UPPER' };
 * ```
 */
export type OnnxAttributeValue =
  | number
  | readonly number[]
  | string
  | {
      /** A FLOAT attribute (a plain number is written as an INT). */
      readonly float: number;
    }
  | {
      /** A FLOATS attribute. */
      readonly floats: readonly number[];
    };

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Little-endian bytes of values of an element type. @internal */
export function rawBytes(values: ArrayLike<number>, type: TensorElementType): Uint8Array {
  const n = values.length;
  if (type === 'uint8') return values instanceof Uint8Array ? values : Uint8Array.from(values);
  if (type === 'int8') {
    const v = values instanceof Int8Array ? values : Int8Array.from(values);
    return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  }
  if (type === 'int32') {
    const view = new DataView(new ArrayBuffer(n * 4));
    for (let i = 0; i < n; i++) view.setInt32(i * 4, values[i], true);
    return new Uint8Array(view.buffer);
  }
  if (type === 'float32') {
    const f = values instanceof Float32Array ? values : Float32Array.from(values);
    if (LITTLE_ENDIAN) return new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
    const view = new DataView(new ArrayBuffer(n * 4));
    for (let i = 0; i < n; i++) view.setFloat32(i * 4, f[i], true);
    return new Uint8Array(view.buffer);
  }
  const view = new DataView(new ArrayBuffer(n * 8));
  for (let i = 0; i < n; i++) view.setBigInt64(i * 8, BigInt(values[i]), true);
  return new Uint8Array(view.buffer);
}

/** A TensorProto (an initializer). @internal */
export function tensorProto(name: string, values: ArrayLike<number>, dims: readonly number[], type: TensorElementType): OnnxTypes.ITensorProto {
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== values.length) {
    throw new ConfigError(`ONNX tensor "${name}": ${values.length} values do not fill dims [${dims.join(', ')}]`);
  }
  return { name, dims: [...dims], dataType: ELEMENT_TYPES[type], rawData: rawBytes(values, type) };
}

/** An AttributeProto. @internal */
export function attributeProto(name: string, value: OnnxAttributeValue): OnnxTypes.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new ConfigError(`ONNX attribute "${name}": ${value} is not an integer; wrap floats as { float: x }`);
    return { name, type: T.INT, i: value };
  }
  if (Array.isArray(value)) {
    if (!value.every((v) => Number.isInteger(v))) {
      throw new ConfigError(`ONNX attribute "${name}": [${value.join(', ')}] are not all integers; wrap floats as { floats: [...] }`);
    }
    return { name, type: T.INTS, ints: [...value] };
  }
  if ('float' in value) return { name, type: T.FLOAT, f: value.float };
  return { name, type: T.FLOATS, floats: [...(value as { floats: readonly number[] }).floats] };
}

/** A float tensor's ValueInfoProto; `null` dims become symbolic (`dimParam`). @internal */
export function valueInfo(name: string, dims: ReadonlyArray<number | string>): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEMENT_TYPES.float32,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** The IR version that goes with an opset (ONNX's versioning table). @internal */
export function irVersionFor(opset: number): number {
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}
