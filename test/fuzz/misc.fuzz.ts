// nginx, apt configs and lists, the LZ4 decoder, backup sniffers, waivers (Rampart's config), the
// facts snapshot, Ansible inventories, the fleet payload frame decoder.
import fc from 'fast-check';
import { parseNginxConfig } from '../../src/collect/parse/nginx.js';
import { parseAptConf } from '../../src/collect/parse/apt-conf.js';
import { parsePreferences, parseRelease, scanPackages } from '../../src/collect/parse/apt-lists.js';
import { decodeLz4Buffer } from '../../src/collect/parse/lz4-stream.js';
import { parseBorgConfig, parseKopiaFormat } from '../../src/collect/parse/backup-repos.js';
import { parseRcloneConf, scanBorgmatic, scanCommandText } from '../../src/collect/parse/backup-commands.js';
import { parseSha256Manifest } from '../../src/collect/parse/backup-manifest.js';
import { parseConfigText } from '../../src/cli/config-load.js';
import { parseSnapshot } from '../../src/cli/snapshot-io.js';
import { UsageError } from '../../src/cli/errors.js';
import { parseInventory } from '../../src/fleet/inventory.js';
import { decodePayloadOutput } from '../../src/fleet/payload.js';
import { fileOf, ident, word, type FuzzTarget } from './harness.js';

const ngDirective = fc.constantFrom(
  'listen 443 ssl;',
  'listen [::]:80;',
  'server_name example.com www.example.com;',
  'ssl_protocols TLSv1.2 TLSv1.3;',
  'add_header X-Frame-Options "DENY" always;',
  "return 301 'https://$host$request_uri';",
  'include /etc/nginx/conf.d/*.conf;',
  'server_tokens off;',
  'location / {\n proxy_pass http://127.0.0.1:8080;\n}',
  'location ~ "^/a{1,3}$" { deny all; }',
  '# comment',
  'if ($x) { return 404; }',
);
export const nginx: FuzzTarget = {
  name: 'nginx',
  parse: (t) => parseNginxConfig(String(t), '/etc/nginx/nginx.conf'),
  valid: fc
    .tuple(fc.array(ngDirective, { maxLength: 4 }), fc.array(fc.array(ngDirective, { maxLength: 6 }), { maxLength: 3 }))
    .map(
      ([top, servers]) =>
        `user www-data;\nevents { worker_connections 768; }\nhttp {\n${top.join('\n')}\n${servers.map((s) => `server {\n${s.join('\n')}\n}`).join('\n')}\n}\n`,
    ),
  knownDefects: ['include globs as backtracking regular expressions: defects helper, issue 13'],
};

const aptLine = fc.constantFrom(
  'APT::Periodic::Update-Package-Lists "1";',
  'APT::Periodic::Unattended-Upgrade "1";',
  'Unattended-Upgrade::Allowed-Origins {\n "${distro_id}:${distro_codename}-security";\n "Debian:bookworm";\n};',
  'Unattended-Upgrade::Origins-Pattern { "origin=Debian,codename=${distro_codename},label=Debian-Security"; };',
  '#clear Unattended-Upgrade::Allowed-Origins;',
  '// C++ comment',
  '/* block */ APT::Get::Assume-Yes "true";',
  'APT { Get { Show-Upgraded "true"; }; };',
  'Acquire::http::Proxy "http://proxy:3128";',
);
export const aptConf: FuzzTarget = {
  name: 'apt config',
  parse: (t) => parseAptConf(String(t), '/etc/apt/apt.conf.d/50unattended-upgrades'),
  valid: fileOf(aptLine),
};

const stanza = fc
  .tuple(
    fc.constantFrom('Package', 'Explanation'),
    fc.constantFrom('*', 'openssh-server', 'src:*', '/^lib.*/'),
    fc.constantFrom('release a=stable', 'origin deb.debian.org', 'release n=bookworm-security, l=Debian-Security', 'version 1.2*'),
    fc.integer({ min: -10, max: 1001 }),
  )
  .map(([, p, pin, pr]) => `Package: ${p}\nPin: ${pin}\nPin-Priority: ${pr}\n`);
export const aptPreferences: FuzzTarget = {
  name: 'apt preferences',
  parse: (t) => parsePreferences(String(t), '/etc/apt/preferences'),
  valid: fc.array(stanza, { maxLength: 5 }).map((s) => s.join('\n')),
};

const pkgStanza = fc
  .tuple(
    fc.constantFrom('openssh-server', 'sudo', 'redis-server', 'libc6'),
    fc.constantFrom('1:9.2p1-2+deb12u3', '1.9.13p3-1+deb12u1', '5:7.0.15-1', '2.36-9'),
  )
  .map(([p, v]) => `Package: ${p}\nVersion: ${v}\nArchitecture: amd64\nDescription: x\n long\n .\n more\n`);
export const aptLists: FuzzTarget = {
  name: 'apt lists (Release, Packages)',
  parse: (t) => ({
    release: parseRelease(String(t)),
    packages: scanPackages(Buffer.from(String(t), 'latin1'), new Set(['openssh-server', 'sudo', 'redis-server'])),
  }),
  valid: fc.oneof(
    fc.array(pkgStanza, { maxLength: 8 }).map((s) => s.join('\n')),
    fc
      .tuple(
        fc.constantFrom('Debian', 'Ubuntu'),
        fc.constantFrom('bookworm', 'jammy'),
        fc.constantFrom('Thu, 03 Dec 2026 10:00:00 UTC', 'garbage'),
      )
      .map(
        ([o, c, d]) =>
          `Origin: ${o}\nLabel: ${o}\nSuite: stable\nCodename: ${c}\nDate: ${d}\nValid-Until: ${d}\nSHA256:\n abc 12 main/binary-amd64/Packages\n`,
      ),
  ),
};

/** A valid LZ4 frame of literals only (no compression), built by hand: magic, FLG/BD/HC, blocks, end mark. */
function lz4Frame(data: Buffer): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; i < data.length || i === 0; i += 65536) {
    const chunk = data.subarray(i, i + 65536);
    if (chunk.length === 0) break;
    const len = Buffer.alloc(4);
    len.writeUInt32LE((chunk.length | 0x80000000) >>> 0);
    blocks.push(len, chunk);
  }
  // FLG 0x60 (version 01, block independence), BD 0x40 (64 KB), HC: (xxh32 >> 8) & 0xff, xxh32 unchecked here is not allowed: compute it.
  const desc = Buffer.from([0x60, 0x40]);
  return Buffer.concat([Buffer.from([0x04, 0x22, 0x4d, 0x18]), desc, Buffer.from([headerChecksum(desc)]), ...blocks, Buffer.alloc(4)]);
}
function headerChecksum(d: Buffer): number {
  // xxHash32 (seed 0) of the descriptor, second byte: LZ4 frame format §"Header Checksum".
  const P1 = 2654435761,
    P2 = 2246822519,
    P3 = 3266489917,
    P5 = 374761393;
  const mul = (a: number, b: number) => Math.imul(a, b) >>> 0;
  const rotl = (x: number, r: number) => ((x << r) | (x >>> (32 - r))) >>> 0;
  let h = (P5 + d.length) >>> 0;
  for (const b of d) h = mul(rotl((h + mul(b, P5)) >>> 0, 11), P1);
  h = mul(h ^ (h >>> 15), P2);
  h = mul(h ^ (h >>> 13), P3);
  h = (h ^ (h >>> 16)) >>> 0;
  return (h >>> 8) & 0xff;
}
export const lz4: FuzzTarget = {
  name: 'LZ4 decoder',
  binary: true,
  parse: (b) => decodeLz4Buffer(b as Buffer, 1 << 24),
  valid: fc.string({ maxLength: 3000 }).map((s) => lz4Frame(Buffer.from(s)).toString('latin1')),
  facts: (p) => {
    const r = p as ReturnType<typeof decodeLz4Buffer>;
    return r.ok ? r.bytes.toString('hex') : r.message;
  },
  print: (p) => {
    const r = p as ReturnType<typeof decodeLz4Buffer>;
    return r.ok ? lz4Frame(r.bytes).toString('latin1') : '';
  },
};

export const backupSniffers: FuzzTarget = {
  name: 'backup sniffers',
  parse: (t) => {
    const s = String(t);
    const rclone = parseRcloneConf(s);
    return {
      borg: parseBorgConfig(s),
      kopia: parseKopiaFormat(s),
      rclone,
      cmd: scanCommandText(s, rclone),
      borgmatic: scanBorgmatic(s, rclone),
      manifest: parseSha256Manifest(s),
    };
  },
  valid: fc.oneof(
    fc.constantFrom(
      '[repository]\nversion = 1\nsegments_per_dir = 1000\nkey = abc\n',
      '{"formatVersion":2,"encryption":"AES256-GCM-HMAC-SHA256"}',
      '[remote]\ntype = s3\nprovider = AWS\n',
    ),
    fileOf(
      fc.constantFrom(
        '0 3 * * * root restic -r s3:s3.amazonaws.com/b backup /srv',
        'borg create ssh://u@h/./repo::{now} /etc',
        'PGPASSWORD=x pg_dump app | gzip > /b/app.sql.gz',
        'rclone sync /srv remote:bucket',
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  file.tar',
        'location:\n  repositories:\n    - path: /b/repo',
      ),
    ),
  ),
};

const waiver = fc
  .tuple(
    fc.constantFrom('ssh.root-login-disabled', 'fw.default-deny', 'nope.id'),
    fc.constantFrom('2027-01-01', '2026-02-30', 'soon'),
    word,
    fc.constantFrom('', '\n    host: web-*', '\n    path: /srv/**'),
  )
  .map(([id, exp, r, x]) => `  - id: ${id}\n    reason: ${r}\n    expires: ${exp}${x}`);
export const waivers: FuzzTarget = {
  name: 'waivers (rampart config)',
  parse: (t) => parseConfigText(String(t), 'rampart.yaml'),
  declared: (e) => e instanceof UsageError,
  valid: fc
    .tuple(fc.constantFrom('', 'redis:\n  url: redis://127.0.0.1:6379\n', 'timeout: 30\n'), fc.array(waiver, { maxLength: 4 }))
    .map(([h, w]) => `${h}${w.length ? `waivers:\n${w.join('\n')}\n` : ''}`),
};

export const factsSnapshot: FuzzTarget = {
  name: 'facts snapshot',
  parse: (t) => parseSnapshot(String(t), 'facts.json'),
  declared: (e) => e instanceof UsageError,
  valid: fc.constantFrom(
    '{}',
    '{"schemaVersion":1,"facts":{}}',
    '{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}',
    '[]',
    'null',
    '{"schemaVersion":1,"facts":{"sshd":{"ok":true,"__proto__":{"a":1}}}}',
  ),
};

const invLine = fc.oneof(
  ident.map((g) => `[${g}]`),
  ident.map((g) => `[${g}:vars]`),
  ident.map((g) => `[${g}:children]`),
  fc
    .tuple(
      ident,
      fc.constantFrom('', ' ansible_host=127.0.0.1', ' ansible_port=2222 ansible_user=deploy', " ansible_ssh_common_args='-o ProxyJump=x'"),
    )
    .map(([h, v]) => `${h}${v}`),
  fc.constantFrom('web[01:10].example.com', 'db-[a:c]', 'x=1', '; c', '# c'),
);
export const inventory: FuzzTarget = {
  name: 'inventories',
  parse: (t) => parseInventory(String(t), 'hosts.ini'),
  valid: fc.oneof(
    fileOf(invLine),
    fc
      .array(fc.tuple(ident, ident), { maxLength: 5 })
      .map(
        (gs) =>
          `all:\n  children:\n${gs.map(([g, h]) => `    ${g}:\n      hosts:\n        ${h}:\n          ansible_host: 127.0.0.1`).join('\n')}\n`,
      ),
  ),
};

const NONCE = '0123456789abcdef0123456789abcdef';
const REQUESTS = [
  { op: 'read' as const, path: '/etc/ssh/sshd_config', maxBytes: 1 << 20 },
  { op: 'stat' as const, path: '/etc' },
  { op: 'run' as const, argv: ['sshd', '-T'], timeoutSec: 5, maxBytes: 1 << 20 },
];
export const payloadFrames: FuzzTarget = {
  name: 'fleet payload frame decoder',
  binary: true,
  parse: (b) => decodePayloadOutput({ nonce: NONCE, requests: REQUESTS }, b as Buffer, { maxTotalBytes: 1 << 22 }),
  valid: fc
    .array(
      fc.tuple(
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom('read', 'stat', 'run', 'stderr', 'list', 'bogus'),
        fc.string({ maxLength: 40 }),
        fc.constantFrom('ok', 'end', 'exit 0', ''),
      ),
      { maxLength: 5 },
    )
    .map(
      (frames) =>
        `motd line\n${frames.map(([id, op, body, tail]) => `RMP1 ${NONCE} ${id} ${op} ${Buffer.byteLength(body)}\n${body}\nRMP1 ${NONCE} ${tail}\n`).join('')}RMP1 ${NONCE} end\n`,
    ),
};
void ident;
