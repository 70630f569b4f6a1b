import { beforeEach } from 'vitest';

/**
 * Skips every test of the enclosing `describe` (or file) when `reason` is set,
 * and says why: the reason is printed once when the file is collected and
 * becomes each skipped test's note (`↓ name [reason]` in vitest's reporters,
 * `meta`/note in the JSON report). Call it at the top of the `describe` body.
 *
 * @example
 * ```ts
 * describe('browser', () => {
 *   skipAllUnless(existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM}`);
 *   it('runs', () => { ... });
 * });
 * ```
 */
export function skipAllUnless(reason: string | undefined): void {
  if (reason === undefined) return;
  console.warn(`skipped: ${reason}`);
  beforeEach((ctx) => {
    ctx.skip(reason);
  });
}
