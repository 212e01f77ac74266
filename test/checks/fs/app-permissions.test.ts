import check from '../../../src/checks/fs/app-permissions.js';
import type { AppDirFacts, AppModeEntry, AppPermissionFacts } from '../../../src/facts/app-permissions.js';
import { runCases } from '../run-cases.js';

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

runCases(
  check,
  {
    pass: [
      { name: 'all 644/755', facts: facts([dir({})]), summary: /10 files, 3 directories/ },
      {
        name: 'a listed executable at 755 (the collector does not report it) passes',
        facts: facts([dir({})], ['/app/bin/entrypoint.sh']),
        summary: /guide's modes/,
      },
      {
        name: 'a symlink leading out is noted, not followed',
        facts: facts([dir({ deviations: [dev('/app/venv/bin/python', 'symlink', '0777', '/usr/bin/python3')] })]),
        summary: /1 symlink\(s\) lead out/,
      },
      {
        name: 'one of two app dirs missing',
        facts: facts([dir({}), dir({ path: '/srv/app', exists: false })]),
        summary: /\/srv\/app do\(es\) not exist/,
      },
    ],
    fail: [
      {
        name: 'a 777 file',
        facts: facts([dir({ deviations: [dev('/app/run.sh', 'file', '0777')] })]),
        summary: /"\/app\/run\.sh": file mode 0777, expected 0644/,
      },
      {
        name: 'a 755 file not on the executables list',
        facts: facts([dir({ deviations: [dev('/app/x.py', 'file', '0755')] })]),
        summary: /0755, expected 0644/,
      },
      {
        name: 'a listed executable at 775 is looser',
        facts: facts([dir({ deviations: [dev('/app/bin/entrypoint.sh', 'file', '0775')] })], ['/app/bin/entrypoint.sh']),
        summary: /expected 0644 or 0755/,
      },
      {
        name: 'a 777 directory',
        facts: facts([dir({ deviations: [dev('/app/uploads', 'dir', '0777')] })]),
        summary: /dir mode 0777, expected 0755/,
      },
      {
        name: 'a FIFO in the app dir',
        facts: facts([dir({ deviations: [dev('/app/pipe', 'other', '0644')] })]),
        summary: /not a regular file or directory/,
      },
    ],
    warn: [
      {
        name: 'a 600 file only (stricter)',
        facts: facts([dir({ deviations: [dev('/app/.env', 'file', '0600')] })]),
        summary: /stricter.*\/app\/\.env/,
      },
    ],
    na: [
      {
        name: 'app dir missing',
        facts: facts([dir({ exists: false, files: 0, dirs: 0 })]),
        summary: /No application directory exists \(\/app\)/,
      },
    ],
    unknown: [
      {
        name: 'an unreadable subdirectory',
        facts: facts([dir({ notScanned: [{ path: '/app/secret', reason: 'permission denied' }] })]),
        summary: /\/app\/secret: permission denied/,
      },
    ],
  },
  { key: 'appPermissions' },
);
