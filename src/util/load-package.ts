import { createRequire } from 'node:module';

/**
 * Loads an npm package when first needed (pg, redis, @zxcvbn-ts: only audits that reach a server or
 * meet a password pay for them), through `require` rather than `import()`: the CLI runs as a bundle
 * compiled with vm.Script and a V8 code cache, where Node 20 cannot serve a dynamic import without
 * --experimental-vm-modules. Each of these packages ships a CommonJS build.
 */
export const loadPackage = createRequire(import.meta.url);
