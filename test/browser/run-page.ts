// Serves a test page's folder (and the wasm binaries) from 127.0.0.1, opens
// it in headless Chromium, waits for the page to publish its result on
// `window[key]`, and returns it with what happened on the way: page errors
// and console warnings, the server's request log, the browser version.
import { wasmDir } from './bundle.js';
import { launchChromium } from './chromium.js';
import { serveStatic } from './server.js';

export interface PageRun<T> {
  result: T;
  /** Page errors, console errors and warnings. */
  errors: string[];
  /** Requests the server answered (path, status). */
  log: ReadonlyArray<{ path: string; status: number }>;
  /** Chromium's version (or the page's user agent). */
  version: string | undefined;
}

export async function runPage<T>(dir: string, key: string, options: { query?: string; timeoutMs: number }): Promise<PageRun<T>> {
  const server = await serveStatic({ '/': dir, '/wasm/': wasmDir() });
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`console.${m.type()}: ${m.text()}`);
    });
    await page.goto(`${server.url}${options.query ?? ''}`);
    await page.waitForFunction((k) => (window as unknown as Record<string, unknown>)[k] !== undefined, key, {
      timeout: options.timeoutMs,
      polling: 250,
    });
    const result = (await page.evaluate((k) => (window as unknown as Record<string, unknown>)[k], key)) as T;
    return { result, errors, log: server.log, version: browser.context.browser()?.version() };
  } finally {
    await browser.close();
    await server.close();
  }
}
