// A separate process downloading published weights into a shared cache (for
// the two-process test of test/pretrained.test.ts): prints the file's path.
import { downloadPretrained } from '../../src/pretrained/cache.js';

const [tag, mirror, cacheDir] = process.argv.slice(2);
process.stdout.write(`${await downloadPretrained(tag, { mirror, cacheDir })}\n`);
