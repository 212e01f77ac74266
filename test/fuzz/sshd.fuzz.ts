// sshd_config (src/collect/parse/sshd-config.ts): keyword case variations, `=` separators, quoted
// arguments, Match blocks, comments after arguments.
import fc from 'fast-check';
import { parseSshdConfig, type ParsedSshdConfig } from '../../src/collect/parse/sshd-config.js';
import { caseOf, fileOf, word, ws, type FuzzTarget } from './harness.js';

const KEYWORDS = [
  'Port',
  'PermitRootLogin',
  'PasswordAuthentication',
  'ListenAddress',
  'Include',
  'AllowUsers',
  'Ciphers',
  'LogLevel',
  'MaxAuthTries',
  'X11Forwarding',
];
const arg = fc.oneof(
  word,
  word.map((w) => `"${w} ${w}"`),
  word.map((w) => `'${w}'`),
);
const line = fc
  .tuple(
    fc.constantFrom(...KEYWORDS).chain(caseOf),
    fc.constantFrom(' ', '\t', '=', ' = ', '= '),
    fc.array(arg, { minLength: 1, maxLength: 4 }),
    fc.constantFrom('', ' # trailing', '\t'),
  )
  .map(([k, sep, args, tail]) => `${k}${sep}${args.join(' ')}${tail}`);
const match = fc
  .tuple(caseOf('Match'), ws, fc.constantFrom('User', 'Group', 'Address', 'all'), word)
  .map(([m, s, c, w]) => (c === 'all' ? `${m}${s}all` : `${m}${s}${c} ${w}`));

export const sshdConfig: FuzzTarget = {
  name: 'sshd_config',
  parse: (t) => parseSshdConfig(String(t)),
  valid: fileOf(fc.oneof({ arbitrary: line, weight: 6 }, { arbitrary: match, weight: 1 })),
  facts: (p) => (p as ParsedSshdConfig).lines.map((l) => [l.keyword.toLowerCase(), l.args]),
  print: (p) =>
    (p as ParsedSshdConfig).lines
      .map((l) => `${l.keyword} ${l.args.map((a) => `"${a.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(' ')}`)
      .join('\n') + '\n',
};
