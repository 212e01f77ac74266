#!/usr/bin/env node
// dist/rampart.mjs is the whole CLI in one module (npm run build: tsc, then scripts/bundle.mjs).
import { main } from '../dist/rampart.mjs';
main();
