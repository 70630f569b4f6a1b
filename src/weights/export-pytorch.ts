import * as tf from '@tensorflow/tfjs';
import { writeSafetensors, type SafetensorsTensorInput } from './safetensors.js';
import { stateDictTargets } from './state-dict.js';

/**
 * Writes a model's weights as a PyTorch state dict in safetensors format:
 * torchvision (or timm) keys and layouts, BatchNorm running statistics, and
 * `num_batches_tracked` as an I64 zero, so that PyTorch's strict
 * `model.load_state_dict(safetensors.torch.load_file(path))` accepts it. The
 * keys are those of {@link pytorchStateDictSpec}; loading the result with
 * {@link loadPyTorchWeights} restores every weight bit for bit. The header's
 * metadata is `{ "format": "pt" }`.
 *
 * Weights are read with `await tensor.data()`, so any backend works.
 *
 * @param model - a torchvision-style model (or any model whose layer names are PyTorch module paths).
 * @returns the bytes of the `.safetensors` file.
 * @throws {@link WeightsError} for a Keras-style model, or a layer with weights
 *   whose class has no registered mapping (see {@link registerWeightMapping}).
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * const bytes = await exportPyTorchWeights(model);
 * writeFileSync('finetuned.safetensors', bytes);
 * // Python: model = torchvision.models.resnet50(); model.load_state_dict(safetensors.torch.load_file('finetuned.safetensors'))
 * ```
 */
export async function exportPyTorchWeights(model: tf.LayersModel): Promise<Uint8Array> {
  const tensors: Record<string, SafetensorsTensorInput> = Object.create(null);
  for (const target of stateDictTargets(model, 'exportPyTorchWeights')) {
    if (target.kind === 'constant') {
      tensors[target.key] = { dtype: target.constant.dtype, shape: [], data: [target.constant.value] };
      continue;
    }
    // The clone shares the variable's data; disposing it never frees the variable.
    const torch = tf.tidy(() => target.layout.toTorch(target.variable.read().clone()));
    let data: Float32Array;
    try {
      data = (await torch.data()) as Float32Array;
    } finally {
      torch.dispose();
    }
    tensors[target.key] = { dtype: 'F32', shape: target.shape, data };
  }
  return writeSafetensors(tensors, { format: 'pt' });
}
