import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FetchError, WeightsError } from '../errors.js';

/** The file names {@link nodeFileSystem} writes. */
const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/**
 * A tfjs `IOHandler` for Node's file system without `@tensorflow/tfjs-node`:
 * `model.save(nodeFileSystem(dir))` writes `dir/model.json` (topology and
 * weights manifest, the standard tfjs LayersModel format) and one
 * `dir/weights.bin`; `tf.loadLayersModel(nodeFileSystem('dir/model.json'))`
 * reads them back. The directory is what `tf.loadLayersModel` opens in a
 * browser too (served over http).
 *
 * @param target - for saving, the directory (created if missing); for loading, the `model.json` path (or its directory).
 * @returns the handler.
 *
 * @example
 * ```ts
 * import { nodeFileSystem } from 'tfjs-resnet/node';
 * await model.save(nodeFileSystem('out/resnet18'));
 * const again = await tf.loadLayersModel(nodeFileSystem('out/resnet18/model.json'));
 * ```
 */
export function nodeFileSystem(target: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const dir = target.endsWith('.json') ? path.dirname(target) : target;
      const jsonName = target.endsWith('.json') ? path.basename(target) : MODEL_JSON;
      await mkdir(dir, { recursive: true });
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: artifacts.convertedBy ?? 'tfjs-resnet',
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig != null ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata != null ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      await writeFile(path.join(dir, WEIGHTS_BIN), new Uint8Array(weights));
      await writeFile(path.join(dir, jsonName), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonPath = target.endsWith('.json') ? target : path.join(target, MODEL_JSON);
      const dir = path.dirname(jsonPath);
      const read = async (file: string): Promise<Buffer> => {
        try {
          return await readFile(file);
        } catch (e) {
          throw new FetchError(`nodeFileSystem: cannot read ${file} (${e instanceof Error ? e.message : String(e)})`);
        }
      };
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse((await read(jsonPath)).toString('utf8')) as tf.io.ModelJSON;
      } catch (e) {
        if (e instanceof FetchError) throw e;
        throw new WeightsError(`nodeFileSystem: ${jsonPath} is not JSON; expected a tfjs model.json`);
      }
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const shards = await Promise.all(manifest.flatMap((group) => group.paths.map((p) => read(path.join(dir, p)))));
        const buffers = shards.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
        return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}
