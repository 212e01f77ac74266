// Writers that rewrite files in place (issue 12): on any input they return a result or a refusal,
// never throw; what they return keeps its promises (checked inside parse: a broken one is a crash).
import { parseDocument } from 'yaml';
import { interpretHbaFields, tokenizePgHba } from '../../src/collect/parse/pg-hba.js';
import { replaceHbaMethods, WEAK_HBA_METHODS } from '../../src/fix/writers/pg-hba.js';
import { editComposeServices } from '../../src/fix/writers/compose-edit.js';
import { composeOp } from '../../src/fix/writers/compose.js';
import type { ComposeOp } from '../../src/fix/writers/compose-edit.js';
import { compose } from './docker.fuzz.js';
import { pgHba } from './services.fuzz.js';
import type { FuzzTarget } from './harness.js';

const kinds = (text: string) => tokenizePgHba(text, 'pg_hba.conf').map((l) => (l.error ? 'error' : interpretHbaFields(l.fields).kind));

export const pgHbaFix: FuzzTarget = {
  name: 'pg_hba fix',
  parse: (t) => {
    const text = String(t);
    const r = replaceHbaMethods(text, WEAK_HBA_METHODS, 'scram-sha-256');
    if (kinds(r.text).join() !== kinds(text).join()) throw new Error('the rewrite changed what parses');
    if (r.text.split('\n').length !== text.split('\n').length) throw new Error('the rewrite changed the line count');
    return { changed: r.changed, skipped: r.skipped };
  },
  valid: pgHba.valid,
  lineChecked: false,
};

const OPS = (
  [
    ['user', '1000:1000'],
    ['read_only', 'true'],
    ['cap_drop', 'ALL'],
    ['security_opt', 'no-new-privileges:true'],
  ] as const
).map(([d, v]) => composeOp(d, v) as ComposeOp);

export const composeEdit: FuzzTarget = {
  name: 'compose edit',
  parse: (t) => {
    let text = String(t);
    const out: string[] = [];
    for (const op of OPS) {
      const r = editComposeServices(text, op);
      if ('error' in r) {
        out.push(r.error);
        continue;
      }
      if (parseDocument(r.text).errors.length > 0) throw new Error('the edit does not parse');
      // Idempotence on files of a realistic size (each edit parses the file three times).
      if (r.text.length > 20_000) {
        text = r.text;
        continue;
      }
      const again = editComposeServices(r.text, op);
      if (!('error' in again) && again.text !== r.text) throw new Error(`${op.key}: a second edit changes the file`);
      text = r.text;
    }
    return out;
  },
  valid: compose.valid,
  lineChecked: false,
};
