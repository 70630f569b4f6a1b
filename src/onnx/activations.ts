import type { OnnxGraphBuilder, Value } from './builder.js';
import { ConfigError } from '../errors.js';

type Emit = (b: OnnxGraphBuilder, x: string, rank: number) => string;

const unary =
  (op: string): Emit =>
  (b, x) =>
    b.node(op, [x])[0];

/** tfjs activation identifiers → ONNX, with whether the result is ≥ 0. */
const ACTIVATIONS: Record<string, { emit: Emit; nonNegative: boolean }> = {
  linear: { emit: (_b, x) => x, nonNegative: false },
  relu: { emit: unary('Relu'), nonNegative: true },
  relu6: { emit: (b, x) => b.node('Clip', [x, b.constant([0], []), b.constant([6], [])])[0], nonNegative: true },
  sigmoid: { emit: unary('Sigmoid'), nonNegative: true },
  tanh: { emit: unary('Tanh'), nonNegative: false },
  softplus: { emit: unary('Softplus'), nonNegative: true },
  softsign: { emit: unary('Softsign'), nonNegative: false },
  elu: { emit: (b, x) => b.node('Elu', [x], { alpha: { float: 1 } })[0], nonNegative: false },
  selu: { emit: unary('Selu'), nonNegative: false },
  hardSigmoid: { emit: (b, x) => b.node('HardSigmoid', [x], { alpha: { float: 0.2 }, beta: { float: 0.5 } })[0], nonNegative: true },
  // tfjs applies softmax over the last (channel) axis: axis 1 of an NCHW value.
  softmax: { emit: (b, x, rank) => b.node('Softmax', [x], { axis: rank === 4 ? 1 : -1 })[0], nonNegative: true },
  logSoftmax: { emit: (b, x, rank) => b.node('LogSoftmax', [x], { axis: rank === 4 ? 1 : -1 })[0], nonNegative: false },
  swish: { emit: (b, x) => b.node('Mul', [x, b.node('Sigmoid', [x])[0]])[0], nonNegative: false },
  mish: { emit: (b, x) => b.node('Mul', [x, b.node('Tanh', [b.node('Softplus', [x])[0]])[0]])[0], nonNegative: false },
};

/** The tfjs activations the exporter writes. @internal */
export const ONNX_ACTIVATIONS: readonly string[] = Object.keys(ACTIVATIONS);

/**
 * Applies a tfjs activation (by its serialized identifier) to a value.
 * Throws a {@link ConfigError} for one ONNX export does not support.
 * @internal
 */
export function applyActivation(b: OnnxGraphBuilder, x: Value, activation: string, where: string): Value {
  const a = ACTIVATIONS[activation];
  if (a === undefined) {
    throw new ConfigError(`exportOnnx: ${where}: activation "${activation}" is not supported; supported: ${ONNX_ACTIVATIONS.join(', ')}`);
  }
  if (activation === 'linear') return x;
  return { name: a.emit(b, x.name, x.shape.length), shape: x.shape, nonNegative: a.nonNegative };
}
