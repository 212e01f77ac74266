import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { FsTarget } from '../../src/target/fs-target.js';
import { DEFAULT_CONFIG, type Config } from '../../src/config/schema.js';
import { collectDocker } from '../../src/collect/docker.js';
import type { DockerFacts } from '../../src/facts/docker.js';

export const COMPOSE_FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'docker', 'compose');

/** A temp root holding test/fixtures/docker/compose/<name> (its app/ becomes /app). */
export function composeRoot(t: TestContext, name: string): string {
  const root = mkdtempSync(join(tmpdir(), 'rampart-docker-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  cpSync(join(COMPOSE_FIXTURES, name), root, { recursive: true });
  return root;
}

export async function dockerFactsAt(root: string, config: Partial<Config> = {}): Promise<DockerFacts> {
  const f = await collectDocker({
    target: new FsTarget({ root, name: 'fixture' }),
    config: { ...DEFAULT_CONFIG, ...config },
    commandTimeoutMs: 5000,
  });
  assert.equal(f.state, 'collected', JSON.stringify(f));
  return (f as { value: DockerFacts }).value;
}
