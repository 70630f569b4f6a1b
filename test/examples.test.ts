// Every example runs in its fast smoke mode, as a user runs it
// (`npx tsx examples/<name>.ts --smoke`), and exits 0. Skipped with
// SKIP_EXAMPLES=1.
import { describe, expect, it } from 'vitest';
import { skipAllUnless } from './helpers/skip.js';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
/** What each smoke run must print (a sign it did its job, not just started). */
const EXPECTED: Record<string, RegExp> = {
  'quick-start': /embedding: \[1, 512\]/,
  'custom-net': /layer3\s+512 channels, stride 16/,
  'feature-pyramid': /P5: \[1, 2, 2, 64\]/,
  'transfer-learning': /frozen BatchNorm statistics unchanged by fit: yes/,
  'predict-pytorch-weights': /every weight equal to the original, bit for bit: yes/,
  degradation: /\| resnet20 \|/,
  main: /forward pass, batch 1, 224×224: \d+ ms/,
  'new-block-type': /ecaresnet50d: 25,576,350 trainable parameters/,
  res2net: /res2net50_26w_4s: 25,699,120 trainable parameters/,
};
const examples = readdirSync(path.join(root, 'examples'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''));

function run(name: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', `examples/${name}.ts`, '--smoke'],
      { cwd: root, timeout: 110_000, maxBuffer: 16 * 2 ** 20, env: { ...process.env, NODE_NO_WARNINGS: '1' } },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('examples (smoke mode)', () => {
  skipAllUnless(process.env.SKIP_EXAMPLES === '1' ? 'SKIP_EXAMPLES=1 is set' : undefined);
  it('every example has an expectation', () => {
    expect(examples.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.concurrent.each(Object.keys(EXPECTED))(
    '%s',
    async (name) => {
      const { code, stdout, stderr } = await run(name);
      expect(code, `${name} failed:\n${stderr}`).toBe(0);
      expect(stdout).toMatch(EXPECTED[name]);
    },
    120_000,
  );
});
