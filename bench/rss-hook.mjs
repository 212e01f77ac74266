// Loaded with `node --import` in the warm-up run of a Rampart measurement only: records the node
// process's own peak RSS (KiB), to tell it apart from GNU time's figure, which is the largest of the
// process and the commands it ran.
import { writeFileSync } from 'node:fs';
import process from 'node:process';

process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
