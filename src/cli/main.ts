#!/usr/bin/env node
/**
 * The `tfjs-resnet` executable: `tfjs-resnet <command> [options]`, see
 * {@link runCli}.
 *
 * @example
 * ```sh
 * npx tfjs-resnet summary resnet50
 * npx tfjs-resnet predict resnet50 cat.jpg --weights resnet50.safetensors
 * ```
 * @module
 */
import { runCli } from './run.js';

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
