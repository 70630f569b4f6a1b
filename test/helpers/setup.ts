// Every test file runs on the wasm backend (SIMD, one thread in Node): ~30×
// faster than the pure-JS cpu backend for ResNet-sized convolutions.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
setWasmPaths(wasmDir + path.sep);
await tf.setBackend(process.env.TFJS_BACKEND ?? 'wasm');
await tf.ready();
