// logrotate(8) (3.21, Debian 12): /etc/logrotate.conf, then the files of /etc/logrotate.d; a log file
// definition's own directives override the top-level defaults. A step's section names the log file
// (/var/log/auth.log); the directive is set inside every definition listing it, in place (the line
// replaced, or added after the `{`), every other byte kept:
// - `frequency` (hourly…yearly): replaces the block's last frequency or size line (the last wins);
// - `rotate N`: the count;
// - `maxage N`: raised to N where the block has a lower one (none: no limit, kept).
// A host whose logrotate lists no such file is left alone (the journal may be the log source).
// Validated by `logrotate -d` on the candidate (a debug run reads the file and rotates nothing).
import { posix } from 'node:path';
import { parseLogrotate, type LrBlock } from '../../collect/parse/logrotate.js';
import { CANDIDATE } from '../plan.js';
import { bytes, currentText } from './_lib.js';
import type { DirectiveWriter, WriterChange, WriterOutcome } from './types.js';

const FREQUENCIES = ['hourly', 'daily', 'weekly', 'monthly', 'yearly'];

/** The new text of `text` with `block` brought to the step's state, and the line that decides; null when nothing changes. */
export function editLogrotateBlock(text: string, block: LrBlock, directive: string, value: string): { text: string; line: number } | null {
  const lines = text.split('\n');
  const open = lines.findIndex((l, i) => i >= block.line - 1 && l.includes('{'));
  const firstDirective = block.directives[0];
  const indent = firstDirective ? (/^\s*/.exec(lines[firstDirective.line - 1]!)?.[0] ?? '\t') : '\t';
  const replace = (line: number, with_: string) => {
    const lead = /^\s*/.exec(lines[line - 1]!)![0];
    lines[line - 1] = `${lead}${with_}`;
    return { text: lines.join('\n'), line };
  };
  const insert = (with_: string) => {
    lines.splice(open + 1, 0, `${indent}${with_}`);
    return { text: lines.join('\n'), line: open + 2 };
  };
  if (directive === 'frequency') {
    const last = block.directives.filter((d) => FREQUENCIES.includes(d.name) || d.name === 'size').pop();
    if (last?.name === value && last.args.length === 0) return null;
    return last ? replace(last.line, value) : insert(value);
  }
  const cur = block.directives.filter((d) => d.name === directive).pop();
  if (directive === 'rotate') {
    if (cur?.args[0] === value) return null;
    return cur ? replace(cur.line, `rotate ${value}`) : insert(`rotate ${value}`);
  }
  // maxage
  if (!cur || Number(cur.args[0]) >= Number(value)) return null;
  return replace(cur.line, `maxage ${value}`);
}

export const writer: DirectiveWriter = {
  service: 'logrotate',
  async write({ target, step, pending }): Promise<WriterOutcome> {
    if (!['frequency', 'rotate', 'maxage'].includes(step.directive))
      return { ok: false, refused: `logrotate: ${step.directive} is not a directive Rampart sets` };
    if (step.directive === 'frequency' ? !FREQUENCIES.includes(step.value) : !/^\d{1,5}$/.test(step.value))
      return { ok: false, refused: `logrotate: ${step.directive} ${step.value} is not a valid value` };
    const log = step.section;
    if (!log?.startsWith('/')) return { ok: false, refused: 'logrotate: the step names the log file as its section' };
    const dir = await target.list('/etc/logrotate.d');
    const files = ['/etc/logrotate.conf', ...(dir.ok ? dir.entries.map((e) => posix.join('/etc/logrotate.d', e.name)).sort() : [])];
    const changes: WriterChange[] = [];
    const isIt = (x: { name: string }) =>
      step.directive === 'frequency' ? FREQUENCIES.includes(x.name) || x.name === 'size' : x.name === step.directive;
    const blocksOf = (text: string, path: string) => {
      const parsed = parseLogrotate(text, path);
      const blocks = parsed.items.flatMap((i) =>
        i.kind === 'block' && i.block.patterns.some((p) => posix.normalize(p) === log) ? [i.block] : [],
      );
      return { errors: parsed.errors, blocks };
    };
    // The first definition listing the log decides what is shown: its directive before, and after.
    let shown: { path: string; before: string | null; after: { line: number; text: string } | null; block: number } | null = null;
    for (const path of files) {
      const cur = await currentText(target, pending, path);
      if ('error' in cur) return { ok: false, refused: cur.error };
      if (!cur.exists) continue;
      let text = cur.text;
      const first = blocksOf(text, path);
      if (first.errors[0]) return { ok: false, refused: `${path}:${first.errors[0].line}: ${first.errors[0].message}` };
      const d0 = first.blocks[0]?.directives.filter(isIt).pop();
      // Blocks are edited one at a time, each on the text the previous edit left (lines may shift by one).
      for (;;) {
        const { blocks } = blocksOf(text, path);
        const todo = blocks.map((b) => editLogrotateBlock(text, b, step.directive, step.value)).find((e) => e !== null);
        if (!todo) break;
        text = todo.text;
      }
      if (first.blocks[0] && !shown) {
        const d1 = blocksOf(text, path).blocks[0]?.directives.filter(isIt).pop();
        shown = {
          path,
          before: d0 ? `${d0.text} (${path}:${d0.line})` : null,
          after: d1 ? { line: d1.line, text: d1.text } : null,
          block: first.blocks[0].line,
        };
      }
      if (text !== cur.text) changes.push({ path, content: bytes(text), validate: ['logrotate', '-d', CANDIDATE] });
    }
    if (!shown)
      return {
        ok: true,
        result: {
          changes: [],
          reload: [],
          decidedBy: { path: '/etc/logrotate.conf', line: 1 },
          notes: [`no logrotate definition lists ${log}: nothing to change`],
        },
      };
    return {
      ok: true,
      result: {
        changes,
        reload: [],
        decidedBy: { path: shown.path, line: shown.after?.line ?? shown.block },
        ...(shown.before !== null ? { before: shown.before } : {}),
        // maxage is only raised: none stays none (no age limit).
        ...(shown.after
          ? { after: shown.after.text.replace(/^\S+\s*/, '') || shown.after.text }
          : { after: '(unset: no age limit, kept)' }),
        notes: [],
      },
    };
  },
};
