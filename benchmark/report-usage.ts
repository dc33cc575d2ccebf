/**
 * Preloaded into every measured process (`node -r`): on exit, writes the process's peak memory
 * (max RSS) to the file named by BENCH_USAGE_FILE.
 */
import * as fs from 'fs';

const file = process.env.BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    fs.writeFileSync(file, JSON.stringify({ maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
  });
}
