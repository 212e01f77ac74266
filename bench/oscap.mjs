// OpenSCAP baseline: the ssg-debian datastream, made to apply to this Debian release.
//
// ssg-debian ships content up to Debian 11 only. Its platform check (CPE cpe:/o:debian:debian_linux:11
// → OVAL definition installed_OS_is_debian11 → textfilecontent54 object reading /etc/debian_version
// with the pattern ^11.[0-9]+$) fails on Debian 12, so every rule is "notapplicable". The bench copies
// the datastream to a temp dir and widens that pattern to accept this host's major version too.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SSG_DIR = '/usr/share/xml/scap/ssg/content';
export const STANDARD_PROFILE = 'xccdf_org.ssgproject.content_profile_standard';
const CONTAINER_DEF = 'oval:ssg-installed_env_is_a_container:def:1';

/** The newest ssg-debianN-ds.xml, or null. */
export function findDebianDatastream() {
  if (!existsSync(SSG_DIR)) return null;
  const found = readdirSync(SSG_DIR)
    .map((f) => /^ssg-debian(\d+)-ds\.xml$/.exec(f))
    .filter(Boolean)
    .map((m) => ({ path: join(SSG_DIR, m[0]), version: Number(m[1]) }))
    .sort((a, b) => b.version - a.version);
  return found[0] ?? null;
}

export function hostDebianMajor() {
  try {
    const m = /^(\d+)/.exec(readFileSync('/etc/debian_version', 'utf8').trim());
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Writes a patched copy to dir/ds.xml. Returns { path, replaced, from, to, note }.
 * The OVAL pattern in the datastream is written `^11.[0-9]+$` (XML text, no escaping needed).
 */
export function patchDatastream(ds, hostMajor, dir) {
  const text = readFileSync(ds.path, 'utf8');
  const from = `^${ds.version}.[0-9]+$`;
  const out = join(dir, 'ds.xml');
  if (hostMajor === null || hostMajor === ds.version) {
    writeFileSync(out, text);
    return { path: out, replaced: 0, from, to: from, note: 'no patch needed' };
  }
  const to = `^(${ds.version}|${hostMajor}).[0-9]+$`;
  const pieces = text.split(`<ind:pattern operation="pattern match">${from}</ind:pattern>`);
  const replaced = pieces.length - 1;
  writeFileSync(out, pieces.join(`<ind:pattern operation="pattern match">${to}</ind:pattern>`));
  return {
    path: out,
    replaced,
    from,
    to,
    note: `OVAL object obj_debian_${ds.version} (/etc/debian_version, pattern ${from}) widened to ${to} in ${replaced} place(s) of a temp copy`,
  };
}

/** Counts `Result\t<status>` lines of `oscap xccdf eval` output. */
export function countResults(stdout) {
  const counts = {};
  for (const m of stdout.matchAll(/^Result\s+(\S+)\s*$/gm)) counts[m[1]] = (counts[m[1]] ?? 0) + 1;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const evaluated = (counts.pass ?? 0) + (counts.fail ?? 0) + (counts.error ?? 0) + (counts.unknown ?? 0);
  return { counts, total, evaluated };
}

/**
 * Rule ids whose applicability depends on the given CPE platform name (e.g. "machine"), directly or
 * through an enclosing Group (XCCDF platforms are inherited).
 */
export function rulesWithPlatform(dsText, platform) {
  const re =
    /<xccdf-1\.2:(Group|Rule)\b[^>]*?\bid="([^"]+)"[^>]*?(\/?)>|<\/xccdf-1\.2:(Group|Rule)>|<xccdf-1\.2:platform idref="#([^"]+)"\/>/g;
  const stack = []; // { kind, id, platforms:Set }
  const rules = new Set();
  for (const m of dsText.matchAll(re)) {
    if (m[1]) {
      const node = { kind: m[1], id: m[2], platforms: new Set() };
      if (m[3] === '/') {
        if (node.kind === 'Rule' && stack.some((n) => n.platforms.has(platform))) rules.add(node.id);
        continue;
      }
      stack.push(node);
    } else if (m[4]) {
      const node = stack.pop();
      if (node && node.kind === 'Rule' && [...stack, node].some((n) => n.platforms.has(platform))) rules.add(node.id);
    } else if (m[5] && stack.length) {
      stack[stack.length - 1].platforms.add(m[5]);
    }
  }
  return rules;
}

/** Rule ids reported notapplicable in `oscap xccdf eval` stdout (Title/Rule/Ident/Result blocks). */
export function notApplicableRules(stdout) {
  const ids = [];
  let rule = null;
  for (const line of stdout.split('\n')) {
    const r = /^Rule\s+(\S+)/.exec(line);
    if (r) rule = r[1];
    if (/^Result\s+notapplicable/.test(line) && rule) ids.push(rule);
  }
  return ids;
}

/** Evaluates the datastream's own container-detection definition: 'true' | 'false' | other text. */
export function containerVerdict(dsPath) {
  try {
    const out = execFileSync('oscap', ['oval', 'eval', '--id', CONTAINER_DEF, '--oval-id', cpeOvalRef(dsPath), dsPath], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    const m = new RegExp(`Definition ${CONTAINER_DEF}: (\\S+)`).exec(out);
    return m ? m[1] : `no verdict in output`;
  } catch (e) {
    return `error: ${String(e.message).split('\n')[0]}`;
  }
}

function cpeOvalRef(dsPath) {
  const head = readFileSync(dsPath, 'utf8').slice(0, 20_000);
  const m = /<ds:component-ref id="([^"]*-cpe-oval\.xml)"/.exec(head);
  return m ? m[1] : 'cpe-oval';
}
