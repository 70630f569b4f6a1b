import type * as tf from '@tensorflow/tfjs';
import type { LoadReport, WeightsProgress } from '../weights/load-options.js';
import { loadPyTorchWeights } from '../weights/load-pytorch.js';
import type { CliStream } from './io.js';
import { progressBar, type Progress } from './progress.js';

/**
 * Loads PyTorch weights (a checkpoint or safetensors file, path or URL) into `model`, showing one
 * progress bar for reading it and one for writing the weights. @internal
 */
export async function loadWeightsWithProgress(model: tf.LayersModel, source: string, stderr: CliStream): Promise<LoadReport> {
  const bars = new Map<WeightsProgress['phase'], Progress>();
  let current: WeightsProgress['phase'] | undefined;
  const label = { fetch: 'reading weights ', assign: 'writing weights ' } as const;
  const report = await loadPyTorchWeights(model, source, {
    timeoutMs: 10 * 60_000,
    onProgress: (p) => {
      if (current !== p.phase) {
        if (current !== undefined) bars.get(current)?.done();
        current = p.phase;
        bars.set(p.phase, progressBar(stderr, label[p.phase]));
      }
      bars.get(p.phase)?.update(p.loaded, p.total);
    },
  });
  if (current !== undefined) bars.get(current)?.done(`${report.loaded.length} tensors in ${(report.ms / 1000).toFixed(1)} s`);
  return report;
}
