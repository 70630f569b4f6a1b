// The CLI's published-weights commands — pretrained, download, cache,
// predict <tag> — against a local mirror on 127.0.0.1 serving the real
// resnet32 checkpoint.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_EXIT_CODES, runCli } from '../src/cli/index.js';
import { getPretrained } from '../src/pretrained/catalog.js';
import { startMirrorServer, type MirrorServer } from './helpers/mirror-server.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const TAG = 'resnet32.akamaster_cifar10';
let server: MirrorServer;
let root: string;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } });
  return { code, out, err };
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'tfjs-resnet-pretrained-cli-'));
  server = await startMirrorServer();
  server.serve(getPretrained(TAG).files[0].url, new Uint8Array(await readFile(path.join(FIXTURES, 'realworld/resnet32.th'))));
});

afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

describe('tfjs-resnet pretrained', () => {
  it('lists tags with top-1, size, license; a filter narrows them', async () => {
    const { code, out } = await cli('pretrained', 'akamaster');
    expect(code).toBe(0);
    expect(out).toMatch(/^resnet32\.akamaster_cifar10 \* +92\.63 +1\.8 MB +bsd-2-clause +32 +pth$/m);
    expect(out).toMatch(/^resnet110\.akamaster_cifar10 \* +93\.68 +— +bsd-2-clause/m); // size not published
    expect(out).toContain('5 of 101 tags');
    expect(out).not.toMatch(/\s\?(\s|$)/m);
    const json = JSON.parse((await cli('pretrained', 'resnet50.tv', '--json')).out) as Array<{ tag: string }>;
    expect(json.map((w) => w.tag)).toEqual(['resnet50.tv2_in1k', 'resnet50.tv_in1k']);
  });
});

describe('tfjs-resnet download / cache / predict <tag>', () => {
  it('downloads with a progress bar, lists, predicts offline from the cache, removes', async () => {
    const cacheDir = path.join(root, 'cache');
    const url = getPretrained(TAG).files[0].url;
    const down = await cli('download', 'resnet32', '--mirror', server.base, '--cache-dir', cacheDir);
    expect(down.code).toBe(0);
    expect(down.out.trim()).toBe(path.join(cacheDir, TAG, 'resnet32-d509ac18.th'));
    expect(down.err).toMatch(/downloading resnet32\.akamaster_cifar10 \[#+\] 100%.*verified/);
    expect(server.requests(url)).toBe(1);

    const ls = await cli('cache', 'ls', '--cache-dir', cacheDir);
    expect(ls.out).toMatch(new RegExp(`^${TAG.replace(/\./g, '\\.')} +1\\.8 MB +${cacheDir}`, 'm'));
    expect(ls.out).toContain(`1 files, 1.8 MB in ${cacheDir}`);
    expect((await cli('cache', 'dir', '--cache-dir', cacheDir)).out.trim()).toBe(cacheDir);

    // frog/0078.jpg: PyTorch's top-1 is frog (6) by a wide margin.
    const image = path.join(FIXTURES, 'realworld/images/frog/0078.jpg');
    const predict = await cli('predict', TAG, image, '--offline', '--cache-dir', cacheDir, '--top', '2', '--json');
    expect(predict.code).toBe(0);
    const [result] = JSON.parse(predict.out) as Array<{ predictions: Array<{ label: string; index: number; probability: number }> }>;
    expect(result.predictions[0]).toMatchObject({ label: 'frog', index: 6 });
    expect(result.predictions[0].probability).toBeGreaterThan(0.99);
    expect(server.requests(url)).toBe(1);

    expect((await cli('cache', 'rm', TAG, '--cache-dir', cacheDir)).out).toContain('removed 1 file of resnet32.akamaster_cifar10');
    const offline = await cli('predict', TAG, image, '--offline', '--cache-dir', cacheDir);
    expect(offline.code).toBe(CLI_EXIT_CODES.failure);
    expect(offline.err).toMatch(/offline, and the weights "resnet32\.akamaster_cifar10" are not cached/);
  });

  it('cache: unknown actions and misplaced tags are usage errors', async () => {
    expect((await cli('cache', 'purge')).err).toMatch(/unknown action "purge"; valid actions are ls, rm, dir/);
    expect((await cli('cache', 'ls', TAG)).err).toMatch(/takes no tag/);
    expect((await cli('download', 'resnet33')).err).toMatch(/no published weights named "resnet33"; did you mean/);
  });
});
