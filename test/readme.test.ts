// What a newcomer copies first: the README's quick start activates the fast
// backend before it builds or runs anything (on tfjs's default cpu backend a
// ResNet-50 image takes several times longer, with tfjs's Node.js advice
// printed), and the install section says how to install until the package is
// published and what strict TypeScript needs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The text of a `## title` section, up to the next `## `. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  expect(start, `README section "${title}"`).toBeGreaterThan(0);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

describe('README', () => {
  it('quick start: await useBestBackend() comes before any model is built or run', () => {
    const code = /```ts\n([\s\S]*?)```/.exec(section('Quick start'))?.[1] ?? '';
    const statements = code.split('\n').filter((l) => l.trim() !== '' && !/^\s*(import|\/\/)/.test(l));
    expect(statements[0]).toMatch(/^await useBestBackend\(/);
    expect(code).toMatch(/import \{[^}]*\buseBestBackend\b[^}]*\} from 'tfjs-resnet'/);
  });

  it('install: from git and from a tarball until published; skipLibCheck for strict TypeScript', () => {
    const install = section('Install');
    expect(install).toMatch(/npm install git\+/);
    expect(install).toMatch(/npm pack/);
    expect(install).toMatch(/npm install \S+\.tgz/);
    expect(install).toContain('skipLibCheck');
  });
});
