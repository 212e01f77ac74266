// Compose files (Compose Specification, services.*): the projects the audit finds (the docker
// collector's discovery over compose_search_dirs and compose_files), every file of each project, every
// service each file defines. Compose merges a project's files key by key, so the key set in each file
// that defines the service decides; for cap_drop and security_opt compose merges the lists, so the item
// is added where missing. Edits keep every other byte (./compose-edit.ts). Validated by
// `docker-compose config -q` on the candidate (beside the file), with the project's earlier files before it.
import { posix } from 'node:path';
import { parseDocument } from 'yaml';
import { discoverProjects } from '../../collect/docker.js';
import { DEFAULT_CONFIG } from '../../config/schema.js';
import { CANDIDATE } from '../plan.js';
import { bytes, currentText } from './_lib.js';
import { editComposeServices, type ComposeOp } from './compose-edit.js';
import type { DirectiveWriter, WriterChange, WriterOutcome } from './types.js';

const isRootUser = (v: unknown): boolean =>
  typeof v === 'number' ? v === 0 : typeof v !== 'string' || ['0', 'root', ''].includes(v.split(':')[0]!.trim());
const quote = (s: string) => JSON.stringify(s);

/** The op of a step, or why Rampart does not set that key. */
export function composeOp(directive: string, value: string): ComposeOp | string {
  switch (directive) {
    case 'user':
      if (isRootUser(value)) return 'user: a non-root UID[:GID] is wanted';
      // Quoted: YAML 1.1 (PyYAML, docker-compose 1.x) reads 1000:1000 as a base-60 number.
      return { kind: 'scalar', key: 'user', yaml: quote(value), ok: (v) => !isRootUser(v) };
    case 'read_only':
      if (value !== 'true') return 'read_only: only true is set';
      return { kind: 'scalar', key: 'read_only', yaml: 'true', ok: (v) => v === true };
    case 'cap_drop':
      if (!/^[A-Z_]+$/.test(value)) return 'cap_drop: a capability name is wanted';
      return { kind: 'item', key: 'cap_drop', item: value, conflicts: () => false };
    case 'security_opt':
      if (value !== 'no-new-privileges:true') return 'security_opt: only no-new-privileges:true is set';
      return {
        kind: 'item',
        key: 'security_opt',
        item: value,
        conflicts: (s) => /^no-new-privileges(?:[:=](?!true$).*)?$/i.test(s) && s !== value,
      };
    default:
      return `compose: ${directive} is not a key Rampart sets`;
  }
}

export const writer: DirectiveWriter = {
  service: 'compose',
  async write({ target, step, pending, config, rootDir }): Promise<WriterOutcome> {
    const op = composeOp(step.directive, step.value);
    if (typeof op === 'string') return { ok: false, refused: op };
    const cfg = config ?? DEFAULT_CONFIG;
    const sets = await discoverProjects(target, cfg.compose_search_dirs, cfg.compose_files, []);
    const changes: WriterChange[] = [];
    const notes: string[] = [];
    let decidedBy: { path: string; line: number } | null = null;
    let before: string | undefined;
    for (const set of sets) {
      if (set.unseen) return { ok: false, refused: `${set.files[0] ?? '?'} cannot be read: ${set.unseen.message}` };
      for (const [i, file] of set.files.entries()) {
        const cur = await currentText(target, pending, file);
        if ('error' in cur) return { ok: false, refused: cur.error };
        if (!cur.exists) return { ok: false, refused: `${file} vanished` };
        const e = editComposeServices(cur.text, op);
        if ('error' in e) return { ok: false, refused: `${file}: ${e.error}` };
        if (e.changed.length === 0) continue;
        if (!decidedBy) {
          decidedBy = { path: file, line: e.changed[0]!.line };
          const old: unknown = parseDocument(cur.text).getIn(['services', e.changed[0]!.service, op.key]);
          before = `${old === undefined ? '(unset)' : JSON.stringify(old)} (${file}, service ${e.changed[0]!.service})`;
        }
        notes.push(`${file}: ${step.directive} set on ${e.changed.map((c) => `${c.service} (line ${c.line})`).join(', ')}`);
        // The project's earlier files first (an override alone has no image); compose takes the project
        // directory from the first -f, so relative paths and .env resolve as for the project.
        const earlier = set.files.slice(0, i).flatMap((f) => ['-f', rootDir ? posix.join(rootDir, f) : f]);
        changes.push({
          path: file,
          content: bytes(e.text),
          validate: ['docker-compose', ...earlier, '-f', CANDIDATE, 'config', '-q'],
        });
      }
    }
    const first = sets.find((s) => s.files.length > 0)?.files[0];
    if (!first)
      return { ok: false, refused: `no compose file found (compose_search_dirs ${cfg.compose_search_dirs.join(', ')}, compose_files)` };
    if (changes.length > 0) notes.push('compose files take effect when the containers are recreated (docker compose up -d)');
    return {
      ok: true,
      result: { changes, reload: [], decidedBy: decidedBy ?? { path: first, line: 1 }, ...(before ? { before } : {}), notes },
    };
  },
};
