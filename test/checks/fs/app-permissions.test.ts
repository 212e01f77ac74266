import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/fs/app-permissions.js';
import type { AppDirFacts, AppModeEntry, AppPermissionFacts } from '../../../src/facts/app-permissions.js';
import { ctx } from '../../helpers.js';

const dev = (path: string, type: AppModeEntry['type'], mode: string, linkTarget: string | null = null): AppModeEntry => ({
  path,
  rawBase64: null,
  type,
  mode,
  linkTarget,
});
const dir = (over: Partial<AppDirFacts>): AppDirFacts => ({
  path: '/app',
  source: { note: 'config app_dirs' },
  exists: true,
  error: null,
  files: 10,
  dirs: 3,
  deviations: [],
  truncated: false,
  notScanned: [],
  ...over,
});
const facts = (dirs: AppDirFacts[], executables: string[] = []): AppPermissionFacts => ({ executables, dirs });

const cases: { name: string; facts: AppPermissionFacts; status: string; match: RegExp }[] = [
  { name: 'all 644/755', facts: facts([dir({})]), status: 'pass', match: /10 files, 3 directories/ },
  {
    name: 'a 777 file',
    facts: facts([dir({ deviations: [dev('/app/run.sh', 'file', '0777')] })]),
    status: 'fail',
    match: /"\/app\/run\.sh": file mode 0777, expected 0644/,
  },
  {
    name: 'a 755 file not on the executables list',
    facts: facts([dir({ deviations: [dev('/app/x.py', 'file', '0755')] })]),
    status: 'fail',
    match: /0755, expected 0644/,
  },
  {
    name: 'a listed executable at 755 (the collector does not report it) passes',
    facts: facts([dir({})], ['/app/bin/entrypoint.sh']),
    status: 'pass',
    match: /guide's modes/,
  },
  {
    name: 'a listed executable at 775 is looser',
    facts: facts([dir({ deviations: [dev('/app/bin/entrypoint.sh', 'file', '0775')] })], ['/app/bin/entrypoint.sh']),
    status: 'fail',
    match: /expected 0644 or 0755/,
  },
  {
    name: 'a 777 directory',
    facts: facts([dir({ deviations: [dev('/app/uploads', 'dir', '0777')] })]),
    status: 'fail',
    match: /dir mode 0777, expected 0755/,
  },
  {
    name: 'a 600 file only (stricter)',
    facts: facts([dir({ deviations: [dev('/app/.env', 'file', '0600')] })]),
    status: 'warn',
    match: /stricter.*\/app\/\.env/,
  },
  {
    name: 'a symlink leading out is noted, not followed',
    facts: facts([dir({ deviations: [dev('/app/venv/bin/python', 'symlink', '0777', '/usr/bin/python3')] })]),
    status: 'pass',
    match: /1 symlink\(s\) lead out/,
  },
  {
    name: 'a FIFO in the app dir',
    facts: facts([dir({ deviations: [dev('/app/pipe', 'other', '0644')] })]),
    status: 'fail',
    match: /not a regular file or directory/,
  },
  {
    name: 'app dir missing',
    facts: facts([dir({ exists: false, files: 0, dirs: 0 })]),
    status: 'na',
    match: /No application directory exists \(\/app\)/,
  },
  {
    name: 'one of two app dirs missing',
    facts: facts([dir({}), dir({ path: '/srv/app', exists: false })]),
    status: 'pass',
    match: /\/srv\/app do\(es\) not exist/,
  },
  {
    name: 'an unreadable subdirectory',
    facts: facts([dir({ notScanned: [{ path: '/app/secret', reason: 'permission denied' }] })]),
    status: 'unknown',
    match: /\/app\/secret: permission denied/,
  },
];

for (const c of cases) {
  test(`fs.app-permissions: ${c.name} → ${c.status}`, () => {
    const v = check.evaluate({ appPermissions: c.facts }, ctx());
    assert.equal(v.status, c.status, v.summary);
    assert.match(v.summary, c.match);
    if (v.status === 'fail') assert.ok(v.findings.length > 0 && v.findings.every((f) => f.path !== null));
  });
}
