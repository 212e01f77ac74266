// Writes man/rampart.1 from the CommandSpecs (src/cli/help.ts renderManPage); test/cli/surface.test.ts
// fails when the committed page differs. Usage: npm run gen:man
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../src/cli/commands/index.js';
import { renderManPage } from '../src/cli/help.js';
import { VERSION } from '../src/version.js';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'man', 'rampart.1');
writeFileSync(out, renderManPage(COMMANDS, VERSION));
process.stdout.write(`wrote ${out}\n`);
