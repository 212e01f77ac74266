// `--emit ansible`: one play of ansible.builtin tasks. Per file: a stat + assert guard (the current
// sha256 is the plan's baseline or already the planned result), then `copy` with the exact content as a
// literal block scalar tagged !unsafe (no Jinja templating of the config text), `validate:` with the
// candidate as %s, `backup: true`, notifying one handler per reload command. Idempotent: a second run
// finds every file as planned (copy: ok) and notifies nothing, so it reports changed=0.
import { Document, Scalar } from 'yaml';
import { CANDIDATE } from '../plan.js';
import { EmitError, hasCandidate, sha256Hex, type EmitPlan } from './index.js';

/** POSIX-shell-style quoting as Python's shlex.split (ansible's validate) reads it. */
function shlexQuote(s: string): string {
  if (/^[A-Za-z0-9@%+=:,./_-]+$/.test(s)) return s;
  return `'${s.split("'").join(`'"'"'`)}'`;
}

/** The `validate:` string: argv quoted for shlex, `%` doubled (Python %-formatting), CANDIDATE → %s. */
export function ansibleValidate(argv: readonly string[]): string {
  return argv
    .map((a) =>
      a
        .split(CANDIDATE)
        .map((p) => (p === '' ? '' : shlexQuote(p).split('%').join('%%')))
        .join('%s'),
    )
    .join(' ');
}

function text(b: Uint8Array, path: string): string {
  if (b.includes(0)) throw new EmitError(`${path}: binary content (NUL byte) cannot go into a playbook; use --emit sh`);
  let s: string;
  try {
    s = new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    throw new EmitError(`${path}: content is not UTF-8 text; use --emit sh`);
  }
  // YAML cannot hold most C0 controls (other than tab and newline) in a block scalar, nor a CR.
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (/[\x00-\x08\x0b-\x1f\x7f\u0085\u2028\u2029\ufeff]/u.test(s))
    throw new EmitError(`${path}: control characters cannot go into a playbook's block scalar; use --emit sh`);
  return s;
}

function literal(s: string): Scalar {
  const node = new Scalar(s);
  node.tag = '!unsafe';
  node.type = s.includes('\n') ? 'BLOCK_LITERAL' : 'QUOTE_DOUBLE';
  return node;
}

const unsafe = (s: string): Scalar => {
  const node = new Scalar(s);
  node.tag = '!unsafe';
  return node;
};

export function emitAnsible(plan: EmitPlan): string {
  const handlers = plan.reload.map((argv, i) => ({
    name: `rampart reload ${i + 1}: ${argv.join(' ')}`,
    'ansible.builtin.command': { argv: argv.map(unsafe) },
  }));
  const notify = handlers.map((h) => h.name);
  const tasks: object[] = [];
  const postValidate: object[] = [];
  for (const [k, f] of plan.files.entries()) {
    const i = k + 1;
    const content = text(f.content, f.path);
    const want = sha256Hex(f.content);
    const accepted = f.baseline ? [f.baseline, want] : [want];
    tasks.push(
      {
        name: `rampart guard ${i}: state of ${f.path}`,
        'ansible.builtin.stat': { path: unsafe(f.path), get_checksum: true, checksum_algorithm: 'sha256' },
        register: `rampart_stat_${i}`,
      },
      {
        name: `rampart guard ${i}: ${f.path} is as planned against`,
        'ansible.builtin.assert': {
          that: [
            f.baseline
              ? `rampart_stat_${i}.stat.exists and rampart_stat_${i}.stat.checksum in ${JSON.stringify(accepted)}`
              : `not rampart_stat_${i}.stat.exists or rampart_stat_${i}.stat.checksum == ${JSON.stringify(want)}`,
          ],
          fail_msg: unsafe(
            f.baseline
              ? `${f.path} changed since the plan was made (sha256 neither ${f.baseline}, planned against, nor the planned result): refusing`
              : `${f.path} appeared since the plan was made: refusing`,
          ),
          quiet: true,
        },
      },
    );
    const copy: Record<string, unknown> = { dest: unsafe(f.path), content: literal(content), backup: true };
    if (f.create) {
      copy.mode = f.create.mode.toString(8).padStart(4, '0');
      copy.owner = String(f.create.owner);
      copy.group = String(f.create.group);
    }
    if (f.validate && hasCandidate(f.validate)) copy.validate = unsafe(ansibleValidate(f.validate));
    tasks.push({
      name: `rampart file ${i}: ${f.path}`,
      'ansible.builtin.copy': copy,
      register: `rampart_file_${i}`,
      ...(notify.length > 0 ? { notify } : {}),
    });
    if (f.validate && !hasCandidate(f.validate)) {
      // A checker of the installed configuration (no candidate path): after the copy, before any handler.
      postValidate.push({
        name: `rampart check ${i}: ${f.validate.join(' ')}`,
        'ansible.builtin.command': { argv: f.validate.map(unsafe) },
        changed_when: false,
        when: `rampart_file_${i} is changed`,
      });
    }
  }
  tasks.push(...postValidate);
  for (const [k, m] of plan.modes.entries()) {
    tasks.push({
      name: `rampart mode ${k + 1}: ${m.path}`,
      'ansible.builtin.file': {
        path: unsafe(m.path),
        state: 'file',
        mode: m.mode.padStart(4, '0'),
        ...(m.owner !== undefined ? { owner: m.owner } : {}),
        ...(m.group !== undefined ? { group: m.group } : {}),
      },
    });
  }
  for (const [k, c] of plan.commands.entries()) {
    if (c.unless) {
      tasks.push({
        name: `rampart command ${k + 1} check: ${c.unless.join(' ')}`,
        'ansible.builtin.command': { argv: c.unless.map(unsafe) },
        register: `rampart_unless_${k + 1}`,
        changed_when: false,
        failed_when: false,
        check_mode: false,
      });
    }
    tasks.push({
      name: `rampart command ${k + 1}: ${c.purpose}`,
      'ansible.builtin.command': { argv: c.argv.map(unsafe), ...(c.creates !== undefined ? { creates: unsafe(c.creates) } : {}) },
      ...(c.unless ? { when: `rampart_unless_${k + 1}.rc != 0` } : {}),
    });
  }
  const play: Record<string, unknown> = {
    name: unsafe(`rampart fix for ${plan.host}`),
    hosts: 'all',
    become: true,
    gather_facts: false,
    tasks,
  };
  if (handlers.length > 0) play.handlers = handlers;
  const doc = new Document([play]);
  doc.commentBefore = ` rampart fix --emit ansible for ${plan.host.replace(/[\r\n]/g, ' ')}\n ansible-playbook -i INVENTORY harden.yml --check --diff, then without --check`;
  return `---\n${doc.toString({ lineWidth: 0 })}`;
}
