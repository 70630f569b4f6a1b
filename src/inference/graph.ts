import type * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';

/**
 * One application of a layer in a model's graph: the layer, the symbolic
 * tensors it reads and the ones it produces. A layer applied twice (shared
 * weights) gives two nodes.
 *
 * @example
 * ```ts
 * const graph = layerGraph(resnet18());
 * const node = graph.nodes.find((n) => n.layer.name === 'layer1.0.conv1')!;
 * console.log(node.className, node.inputs[0].shape); // 'Conv2D' [null, 56, 56, 64]
 * ```
 */
export interface GraphNode {
  /** The layer applied. */
  readonly layer: tf.layers.Layer;
  /** Its tfjs class name, e.g. `'Conv2D'`, `'BatchNormalization'`. */
  readonly className: string;
  /** The symbolic tensors it reads, in call order. */
  readonly inputs: readonly tf.SymbolicTensor[];
  /** The symbolic tensors it produces. */
  readonly outputs: readonly tf.SymbolicTensor[];
}

/**
 * A model's layer graph in topological order — the small IR shared by
 * {@link optimizeForInference} and {@link exportOnnx}: one traversal of
 * `model.outputs` back through the layers' inbound nodes, plus the consumers
 * of every tensor.
 *
 * @example
 * ```ts
 * const graph = layerGraph(resnet50());
 * const bn = graph.nodes.find((n) => n.className === 'BatchNormalization')!;
 * const producer = graph.producer(bn.inputs[0]); // the Conv2D before it
 * console.log(graph.consumers(bn.outputs[0]).map((n) => n.layer.name));
 * ```
 */
export interface LayerGraph {
  /** The model the graph was read from. */
  readonly model: tf.LayersModel;
  /** The model's input tensors. */
  readonly inputs: readonly tf.SymbolicTensor[];
  /** The model's output tensors. */
  readonly outputs: readonly tf.SymbolicTensor[];
  /** Every node except the input layers', producers before consumers. */
  readonly nodes: readonly GraphNode[];
  /** The node producing `t`, or `undefined` for a model input. */
  producer(t: tf.SymbolicTensor): GraphNode | undefined;
  /** The nodes reading `t` (a node reading it twice appears twice). */
  consumers(t: tf.SymbolicTensor): readonly GraphNode[];
  /** Whether `t` is one of the model's outputs. */
  isOutput(t: tf.SymbolicTensor): boolean;
  /** How many nodes of the graph apply `layer` (more than one: shared weights). */
  applications(layer: tf.layers.Layer): number;
}

/** A tfjs layer's inbound node, as far as the graph walk needs it. */
interface InboundNode {
  readonly inputTensors: tf.SymbolicTensor[];
  readonly outputTensors: tf.SymbolicTensor[];
}

function inboundNode(t: tf.SymbolicTensor): InboundNode {
  const nodes = (t.sourceLayer as unknown as { inboundNodes: InboundNode[] }).inboundNodes;
  const node = nodes[t.nodeIndex];
  if (node === undefined) {
    throw new ConfigError(`layer graph: tensor "${t.name}" has no inbound node ${t.nodeIndex} in layer "${t.sourceLayer.name}"`);
  }
  return node;
}

/**
 * Reads the layer graph of a functional `tf.LayersModel` (or a
 * `tf.Sequential`, whose inner functional graph is used).
 *
 * @example
 * ```ts
 * const graph = layerGraph(resnet18());
 * console.log(graph.nodes.length, graph.nodes[0].layer.name); // first node: 'conv1_pad'
 * ```
 */
export function layerGraph(model: tf.LayersModel): LayerGraph {
  const inputs = model.inputs;
  const outputs = model.outputs;
  const inputIds = new Set(inputs.map((t) => t.id));
  const nodes: GraphNode[] = [];
  const producers = new Map<number, GraphNode>();
  const consumers = new Map<number, GraphNode[]>();
  const applications = new Map<tf.layers.Layer, number>();
  const done = new Set<InboundNode>();
  const onPath = new Set<InboundNode>();

  // Iterative post-order DFS from the outputs, so deep nets don't overflow the stack.
  const visit = (root: tf.SymbolicTensor): void => {
    const stack: Array<{ node: InboundNode; t: tf.SymbolicTensor; next: number }> = [];
    const push = (t: tf.SymbolicTensor): void => {
      if (inputIds.has(t.id)) return;
      const node = inboundNode(t);
      if (done.has(node)) return;
      if (onPath.has(node)) throw new ConfigError(`layer graph: cycle through layer "${t.sourceLayer.name}"`);
      if (node.inputTensors.length === 0) {
        throw new ConfigError(`layer graph: tensor "${t.name}" of layer "${t.sourceLayer.name}" is not computed from the model's inputs`);
      }
      onPath.add(node);
      stack.push({ node, t, next: 0 });
    };
    push(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < top.node.inputTensors.length) {
        push(top.node.inputTensors[top.next++]);
        continue;
      }
      stack.pop();
      onPath.delete(top.node);
      done.add(top.node);
      const layer = top.t.sourceLayer;
      const g: GraphNode = {
        layer,
        className: layer.getClassName(),
        inputs: [...top.node.inputTensors],
        outputs: [...top.node.outputTensors],
      };
      nodes.push(g);
      applications.set(layer, (applications.get(layer) ?? 0) + 1);
      for (const o of g.outputs) producers.set(o.id, g);
      for (const i of g.inputs) {
        const list = consumers.get(i.id) ?? [];
        list.push(g);
        consumers.set(i.id, list);
      }
    }
  };
  for (const o of outputs) visit(o);

  const outputIds = new Set(outputs.map((t) => t.id));
  return {
    model,
    inputs,
    outputs,
    nodes,
    producer: (t) => producers.get(t.id),
    consumers: (t) => consumers.get(t.id) ?? [],
    isOutput: (t) => outputIds.has(t.id),
    applications: (layer) => applications.get(layer) ?? 0,
  };
}
