import { main } from '../../src/cli/main.js';
main();
