import type * as tf from '@tensorflow/tfjs';
import { layerGraph, type GraphNode, type LayerGraph } from './graph.js';
import { isFoldableConv, isIdentityAtInference } from './rules.js';
import { activationOfLayer, batchNormAffine, configOf, convSpec, isLastAxisBn, isPadFree, type ConvSpec } from './layer-config.js';
import { foldConvWeights, type ConvTensors } from './fold.js';
import { LAYER_ACTIVATIONS, type LayerActivation } from '../layers/layer-utils.js';

const isLayerActivation = (a: string): a is LayerActivation => (LAYER_ACTIVATIONS as readonly string[]).includes(a);

/** Whether two or more symbolic tensors have one shape (unknown dimensions matching unknown ones). */
function sameShapes(ts: readonly tf.SymbolicTensor[]): boolean {
  return ts.length >= 2 && ts.every((t) => t.shape.every((d, i) => d === ts[0].shape[i]));
}

/** What a convolution (or an `Add`) node absorbs at inference. @internal */
export interface ConvFusion {
  /** The BatchNormalization after it, folded into its kernel and bias. */
  readonly bnAfter?: GraphNode;
  /** The BatchNormalization before it, folded into its kernel and bias. */
  readonly bnBefore?: GraphNode;
  /** The activation node fused into it (a convolution's or an `Add`'s). */
  readonly act?: GraphNode;
}

/**
 * The inference plan of a model: which nodes vanish (BatchNorms folded into
 * a convolution, activations fused into one, training-only layers) and what
 * each surviving convolution absorbs. Computed once from the
 * {@link LayerGraph}, consumed by both the tfjs optimizer and the ONNX
 * exporter.
 * @internal
 */
export interface InferencePlan {
  readonly graph: LayerGraph;
  /** Whether the node disappears (its output equals {@link resolve} of it). */
  isRemoved(node: GraphNode): boolean;
  /**
   * The tensor of the original graph that carries `t`'s value once removed
   * nodes are gone: `t` itself, or the input a removed node passed through, or
   * the output of the convolution that absorbed it.
   */
  resolve(t: tf.SymbolicTensor): tf.SymbolicTensor;
  /** What a surviving convolution or `Add` absorbs (empty for other nodes). */
  fusion(node: GraphNode): ConvFusion;
  /** The convolution's configuration with its fused activation, and `useBias` once it absorbs a BatchNorm. */
  convSpec(node: GraphNode): ConvSpec;
  /** The convolution's weights with every BatchNorm it absorbs folded in (new tensors, the caller's to dispose). */
  convWeights(node: GraphNode): ConvTensors;
  /** Whether the node is an `Add` of equal-shaped tensors, applied once: the optimizer makes it an `AddActivation`. */
  isResidualAdd(node: GraphNode): boolean;
  /** The activation fused into an `Add` (`'linear'` when none). */
  addActivation(node: GraphNode): LayerActivation;
  /** The surviving node whose output is `t` after {@link resolve}, if any. */
  producer(t: tf.SymbolicTensor): GraphNode | undefined;
}

/** Options of {@link inferencePlan}. @internal */
export interface PlanOptions {
  /** Fuse an activation into the `Add` before it (default true); `isResidualAdd` is false everywhere when off. */
  readonly addActivation?: boolean;
}

/**
 * Plans BatchNorm folding, activation fusion (into convolutions and into the
 * `Add` before them) and identity removal for a model.
 * A node is only removed when nothing else reads the tensor it would merge
 * and that tensor is not a model output, so layer and output names survive.
 * @internal
 */
export function inferencePlan(model: tf.LayersModel, options: PlanOptions = {}): InferencePlan {
  const fuseAdd = options.addActivation ?? true;
  const graph = layerGraph(model);
  const removed = new Set<GraphNode>();
  const fusions = new Map<GraphNode, { bnAfter?: GraphNode; bnBefore?: GraphNode; act?: GraphNode }>();
  const specs = new Map<GraphNode, ConvSpec>();
  const addActivations = new Map<GraphNode, LayerActivation>();
  const fusionOf = (n: GraphNode) => {
    let f = fusions.get(n);
    if (f === undefined) fusions.set(n, (f = {}));
    return f;
  };
  const specOf = (n: GraphNode): ConvSpec => {
    let s = specs.get(n);
    if (s === undefined) specs.set(n, (s = convSpec(n.layer)));
    return s;
  };
  const single = (n: GraphNode): boolean => graph.applications(n.layer) === 1 && n.inputs.length === 1 && n.outputs.length === 1;
  /** Removing a node whose output is a model output would rename that output: never done. */
  const removable = (n: GraphNode): boolean => single(n) && !graph.isOutput(n.outputs[0]);
  const isConv = (n: GraphNode | undefined): n is GraphNode =>
    n !== undefined && isFoldableConv(n.className) && single(n) && (configOf(n.layer).dataFormat ?? 'channelsLast') === 'channelsLast';
  /** An `Add` of equal-shaped tensors, applied once: it can become an `AddActivation`. */
  const isResidualAdd = (n: GraphNode | undefined): n is GraphNode =>
    n !== undefined && n.className === 'Add' && graph.applications(n.layer) === 1 && n.outputs.length === 1 && sameShapes(n.inputs);
  /** `t` is read by `reader` alone and is not a model output. */
  const onlyReader = (t: tf.SymbolicTensor, reader: GraphNode): boolean =>
    !graph.isOutput(t) && graph.consumers(t).length === 1 && graph.consumers(t)[0] === reader;

  for (const node of graph.nodes) {
    if (isIdentityAtInference(node.className) && node.inputs.length === 1 && node.outputs.length === 1 && !graph.isOutput(node.outputs[0])) {
      removed.add(node);
      continue;
    }
    if (node.className === 'BatchNormalization' && removable(node) && isLastAxisBn(node.layer, node.inputs[0].rank)) {
      // conv → BN: fold into the convolution before.
      const p = graph.producer(node.inputs[0]);
      if (isConv(p) && !fusions.get(p)?.bnAfter && specOf(p).activation === 'linear' && onlyReader(p.outputs[0], node)) {
        fusionOf(p).bnAfter = node;
        specs.set(p, { ...specOf(p), useBias: true });
        removed.add(node);
        continue;
      }
      // BN → conv with nothing (no padding) in between: fold into the convolution after.
      const [c] = graph.consumers(node.outputs[0]);
      if (isConv(c) && !fusions.get(c)?.bnBefore && onlyReader(node.outputs[0], c) && specOf(c).groups === 1 && isPadFree(specOf(c))) {
        fusionOf(c).bnBefore = node;
        specs.set(c, { ...specOf(c), useBias: true });
        removed.add(node);
      }
      continue;
    }
    const act = activationOfLayer(node.layer);
    if (act !== undefined && removable(node)) {
      const src = node.inputs[0];
      const p = graph.producer(src);
      if (fuseAdd && isResidualAdd(p) && fusions.get(p)?.act === undefined && onlyReader(src, node) && isLayerActivation(act)) {
        // add → activation: one AddActivation layer.
        fusionOf(p).act = node;
        addActivations.set(p, act);
        removed.add(node);
        continue;
      }
      const conv = p !== undefined && removed.has(p) && p.className === 'BatchNormalization' ? graph.producer(p.inputs[0]) : p;
      if (isConv(conv) && fusions.get(conv)?.act === undefined && specOf(conv).activation === 'linear' && onlyReader(src, node)) {
        if (conv === p || fusions.get(conv)?.bnAfter === p) {
          fusionOf(conv).act = node;
          specs.set(conv, { ...specOf(conv), activation: act });
          removed.add(node);
        }
      }
    }
  }

  const resolve = (t: tf.SymbolicTensor): tf.SymbolicTensor => {
    let cur = t;
    for (;;) {
      const p = graph.producer(cur);
      if (p === undefined || !removed.has(p)) return cur;
      // A removed node passes its input through (identity, BN folded
      // before), or its input already resolves to the absorbing conv.
      cur = p.inputs[0];
    }
  };

  return {
    graph,
    isRemoved: (node) => removed.has(node),
    resolve,
    fusion: (node) => fusions.get(node) ?? {},
    isResidualAdd: (node) => fuseAdd && isResidualAdd(node),
    addActivation: (node) => addActivations.get(node) ?? 'linear',
    convSpec: (node) => specOf(node),
    convWeights(node) {
      const f = fusions.get(node) ?? {};
      return foldConvWeights(node.layer, f.bnBefore && batchNormAffine(f.bnBefore.layer), f.bnAfter && batchNormAffine(f.bnAfter.layer));
    },
    producer(t) {
      const p = graph.producer(resolve(t));
      return p !== undefined && !removed.has(p) ? p : undefined;
    },
  };
}
