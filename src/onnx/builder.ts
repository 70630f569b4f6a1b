import type { onnx as OnnxTypes } from 'onnx-proto';
import { attributeProto, tensorProto, type OnnxAttributeValue, type OnnxElementType } from './proto.js';
import type { OnnxValue } from './lowering.js';

/** Spatial zero padding `[top, left, bottom, right]`. @internal */
export type Pads2d = [number, number, number, number];

/**
 * A value of the graph being written. A ZeroPadding2D output stays pending
 * (`pad` set, nothing written) until a consumer either absorbs the padding
 * into its own `pads` or asks for it to be materialized as a Pad node.
 * @internal
 */
export interface Value extends OnnxValue {
  readonly pad?: { readonly source: Value; readonly pads: Pads2d };
}

/** Collects the nodes and initializers of an ONNX graph with unique names. @internal */
export class OnnxGraphBuilder {
  readonly nodes: OnnxTypes.INodeProto[] = [];
  readonly initializers: OnnxTypes.ITensorProto[] = [];
  private readonly names = new Set<string>();
  private readonly nodeNames = new Set<string>();
  private readonly materialized = new Map<Value, Value>();
  /** The prefix of node names being written (the current layer's name). */
  scope = 'graph';

  /** Claims `name` exactly (graph inputs and outputs). */
  reserve(name: string): string {
    this.names.add(name);
    return name;
  }

  /** A fresh name starting with `base`. */
  unique(base: string): string {
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    return this.reserve(name);
  }

  /** A fresh node name (node names have their own namespace). */
  private uniqueNode(base: string): string {
    let name = base;
    for (let i = 1; this.nodeNames.has(name); i++) name = `${base}_${i}`;
    this.nodeNames.add(name);
    return name;
  }

  /** Adds a node; returns its output names (or writes into `outputNames`). */
  node(opType: string, inputs: readonly string[], attributes: Record<string, OnnxAttributeValue> = {}, outputs: number | readonly string[] = 1): string[] {
    const name = this.uniqueNode(`${this.scope}/${opType}`);
    const outputNames =
      typeof outputs === 'number' ? Array.from({ length: outputs }, (_, i) => this.unique(outputs === 1 ? name : `${name}:${i}`)) : [...outputs];
    this.nodes.push({
      name,
      opType,
      input: [...inputs],
      output: outputNames,
      attribute: Object.entries(attributes).map(([k, v]) => attributeProto(k, v)),
    });
    return outputNames;
  }

  /** Adds an initializer; returns its name. */
  constant(values: ArrayLike<number>, dims: readonly number[], type: OnnxElementType = 'float32', base = 'const'): string {
    const name = this.unique(`${this.scope}/${base}`);
    this.initializers.push(tensorProto(name, values, dims, type));
    return name;
  }

  /** A value ready to be read: a pending zero padding becomes a Pad node (once). */
  materialize(v: Value): Value {
    if (v.pad === undefined) return v;
    const done = this.materialized.get(v);
    if (done !== undefined) return done;
    const { source, pads } = v.pad;
    const [t, l, b, r] = pads;
    const rank4 = [0, 0, t, l, 0, 0, b, r];
    const padsName = this.constant(rank4, [8], 'int64', 'pads');
    const [name] = this.node('Pad', [source.name, padsName], { mode: 'constant' });
    const out: Value = { name, shape: v.shape, nonNegative: source.nonNegative };
    this.materialized.set(v, out);
    return out;
  }
}
