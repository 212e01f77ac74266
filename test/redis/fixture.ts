import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'redis');
const BASE = join(FIXTURES, 'debian12-default', 'root');

/**
 * A temp root: the Debian 12 tree (redis.conf of the package) with the case applied: prepend.conf
 * before and append.conf after redis.conf, root/ copied over it.
 */
export function caseRoot(t: TestContext, name: string): string {
  const root = mkdtempSync(join(tmpdir(), 'rampart-redis-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  cpSync(BASE, root, { recursive: true });
  const dir = join(FIXTURES, name);
  const conf = join(root, 'etc', 'redis', 'redis.conf');
  const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '');
  writeFileSync(conf, read('prepend.conf') + readFileSync(conf, 'utf8') + read('append.conf'));
  if (existsSync(join(dir, 'root'))) cpSync(join(dir, 'root'), root, { recursive: true });
  // The package is installed in every case (dpkg status stanza of redis-server).
  mkdirSync(join(root, 'var', 'lib', 'dpkg'), { recursive: true });
  writeFileSync(
    join(root, 'var', 'lib', 'dpkg', 'status'),
    'Package: redis-server\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5:7.0.15-1~deb12u10\n\n',
  );
  return root;
}
