/**
 * What the catalog of published weights says about one set of weights.
 * @module
 */
import type { Interpolation } from '../imagenet/resize.js';

/**
 * Who published a set of weights: torchvision's `Weights` enums, timm's
 * pretrained configs (served by the Hugging Face Hub), Keras Applications, or
 * akamaster's CIFAR-10 checkpoints (`pytorch_resnet_cifar10`).
 *
 * @example
 * ```ts
 * const tags = listPretrained({ origin: 'torchvision' }).map((w) => w.tag);
 * ```
 */
export type PretrainedOrigin = 'torchvision' | 'timm' | 'keras' | 'akamaster';

/**
 * Every {@link PretrainedOrigin}.
 *
 * @example
 * ```ts
 * for (const origin of PRETRAINED_ORIGINS) console.log(origin, listPretrained({ origin }).length);
 * ```
 */
export const PRETRAINED_ORIGINS: readonly PretrainedOrigin[] = ['torchvision', 'timm', 'keras', 'akamaster'];

/**
 * The file format of a weights file: a safetensors file, a PyTorch
 * `torch.save` file (`.pth`, or akamaster's legacy `.th`), or a Keras HDF5
 * file (listed, not loadable yet).
 *
 * @example
 * ```ts
 * const format: WeightsFormat = getPretrained('resnet50.tv2_in1k').files[0].format; // 'pth'
 * ```
 */
export type WeightsFormat = 'safetensors' | 'pth' | 'h5';

/**
 * The digest of a published file, as its publisher states it: a whole
 * SHA-256, the SHA-256 prefix in a torchvision file name (checked as
 * `torch.hub` checks it: the file's sha256 starts with it), or an MD5 (Keras;
 * recorded, not checked).
 *
 * @example
 * ```ts
 * const digest: WeightsDigest = { sha256Prefix: 'f37072fd' };
 * ```
 */
export type WeightsDigest =
  | {
      /** The whole SHA-256, 64 lowercase hex digits. */
      readonly sha256: string;
    }
  | {
      /** A prefix of the SHA-256 (torchvision: the 8 hex digits in the file name). */
      readonly sha256Prefix: string;
    }
  | {
      /** The MD5 Keras publishes (recorded only; h5 files are not loaded). */
      readonly md5: string;
    };

/**
 * One downloadable file of a set of weights.
 *
 * @example
 * ```ts
 * const file: WeightsFile = {
 *   url: 'https://download.pytorch.org/models/resnet18-f37072fd.pth',
 *   format: 'pth',
 *   digest: { sha256Prefix: 'f37072fd' },
 * };
 * ```
 */
export interface WeightsFile {
  /** Where the publisher serves it (`https://…`); a mirror maps it to `<mirror>/<host>/<path>`. */
  readonly url: string;
  /** Its format. */
  readonly format: WeightsFormat;
  /** Its digest, when the publisher states one. */
  readonly digest?: WeightsDigest;
  /** Its size in bytes, when known. */
  readonly bytes?: number;
}

/**
 * The label set a classifier was trained on.
 *
 * @example
 * ```ts
 * if (getPretrained(tag).labels === 'imagenet-1k') console.log(decodePredictions(probs));
 * ```
 */
export type LabelSet = 'imagenet-1k' | 'cifar-10';

/**
 * The preprocessing a set of weights was evaluated with, as its publisher
 * states it (timm's `pretrained_cfg`, torchvision's `transforms`).
 *
 * @example
 * ```ts
 * const data: PretrainedDataSpec = {
 *   inputSize: [224, 224], interpolation: 'bilinear', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225],
 *   cropPct: 0.875, resizeSize: 256,
 * };
 * ```
 */
export interface PretrainedDataSpec {
  /** Height and width the network was trained at (and evaluated at, unless `testInputSize`). */
  readonly inputSize: readonly [number, number];
  /** A larger evaluation size the publisher reports better accuracy at (timm's `test_input_size`). */
  readonly testInputSize?: readonly [number, number];
  /** The resize filter. */
  readonly interpolation: Interpolation;
  /** Per-channel mean of the normalisation, RGB, in units of 0..1 pixels. */
  readonly mean: readonly [number, number, number];
  /** Per-channel standard deviation of the normalisation, RGB. */
  readonly std: readonly [number, number, number];
  /** Crop fraction: the shorter side is resized to `floor(size / cropPct)` before the center crop. */
  readonly cropPct: number;
  /** The crop fraction at `testInputSize` (timm's `test_crop_pct`); `cropPct` when absent. */
  readonly testCropPct?: number;
  /** The shorter side before cropping, when the publisher states it directly (torchvision's `resize_size`). */
  readonly resizeSize?: number;
}

/**
 * A catalog entry: one published set of weights for an architecture the
 * registry builds exactly.
 *
 * @example
 * ```ts
 * const w: PretrainedWeights = getPretrained('resnet50.tv2_in1k');
 * console.log(w.model, w.top1, w.license, w.files[0].url); // 'resnet50' 80.858 'bsd-3-clause' 'https://download.pytorch.org/…'
 * ```
 */
export interface PretrainedWeights {
  /** `<model>.<weights>` as timm names them (`resnet50.tv2_in1k`, `resnet32.akamaster_cifar10`). */
  readonly tag: string;
  /** The registered model name it loads into ({@link createModel}). */
  readonly model: string;
  /** Build option the weights need beyond the registered defaults (Keras Applications: `style: 'keras'`). */
  readonly style?: 'keras';
  /** Who published it. */
  readonly origin: PretrainedOrigin;
  /** The files, primary first: a later one is tried when an earlier one cannot be downloaded. */
  readonly files: readonly WeightsFile[];
  /** Whether {@link createModel} can load it (Keras h5 files cannot yet). */
  readonly loadable: boolean;
  /** The licence of the weights (SPDX-like id, as the publisher states it). */
  readonly license: string;
  /** Where the weights come from (the publisher's page or repository). */
  readonly originUrl: string;
  /** Published ImageNet/CIFAR top-1 accuracy in %, when the publisher states it. */
  readonly top1?: number;
  /** Published top-5 accuracy in %, when stated. */
  readonly top5?: number;
  /** The classes of its classifier. */
  readonly labels: LabelSet;
  /** Number of classes of its classifier. */
  readonly classes: number;
  /** State-dict prefix of its classifier (`fc`, `head.fc`, `linear`). */
  readonly classifier: string;
  /** Its evaluation preprocessing. */
  readonly data: PretrainedDataSpec;
  /** torchvision's enum name (`IMAGENET1K_V1`, `IMAGENET1K_V2`) when these are torchvision's weights. */
  readonly torchvisionEnum?: string;
  /** Whether it is the weights `createModel(model, { pretrained: true })` loads. */
  readonly isDefault: boolean;
}
