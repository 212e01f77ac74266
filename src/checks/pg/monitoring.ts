import type { PgCluster } from '../../facts/postgres.js';
import { judgeCluster, judgeClusters, liveProblem, settingEvidence, staticProblem, type PgEvidence, type PgJudgement } from './_lib.js';
import { defineCheck } from '../define.js';

/** The guide, section 4.2: statements that change data or schema are logged (or pgaudit is loaded). */
const LOGGED_STATEMENTS = new Set(['ddl', 'mod', 'all']);
const SETTINGS = ['log_connections', 'log_disconnections', 'log_statement', 'log_line_prefix', 'shared_preload_libraries'] as const;

function judge(c: PgCluster): PgJudgement {
  const early = liveProblem(c) ?? staticProblem(c);
  if (early) return early;
  const s = (n: (typeof SETTINGS)[number]) => c.settings[n]!;
  const bad: PgEvidence[] = [];
  for (const n of ['log_connections', 'log_disconnections'] as const)
    if (s(n).value !== 'on') bad.push(settingEvidence(s(n), n, `${n} is ${JSON.stringify(s(n).text)}`));
  const libs = (s('shared_preload_libraries').value ?? '').split(',').map((x) => x.trim().replace(/^"|"$/g, ''));
  const pgaudit = libs.includes('pgaudit');
  if (!LOGGED_STATEMENTS.has(s('log_statement').value ?? '') && !pgaudit) {
    bad.push(
      settingEvidence(
        s('log_statement'),
        'log_statement',
        `log_statement is ${JSON.stringify(s('log_statement').text)} and pgaudit is not in shared_preload_libraries (${JSON.stringify(s('shared_preload_libraries').text)})`,
      ),
    );
  }
  const prefix = s('log_line_prefix').text;
  const missing = [
    !prefix.includes('%u') && '%u (user)',
    !prefix.includes('%d') && '%d (database)',
    !/%[hr]/.test(prefix) && '%h or %r (client host)',
  ].filter(Boolean);
  if (missing.length)
    bad.push(
      settingEvidence(s('log_line_prefix'), 'log_line_prefix', `log_line_prefix ${JSON.stringify(prefix)} lacks ${missing.join(', ')}`),
    );
  const stmt = pgaudit ? `pgaudit loaded, log_statement ${s('log_statement').text}` : `log_statement ${s('log_statement').text}`;
  return judgeCluster(
    c,
    bad,
    `connections and disconnections logged, ${stmt}, log_line_prefix ${JSON.stringify(prefix)}`,
    SETTINGS.map((n) => settingEvidence(s(n), n)),
    SETTINGS,
  );
}

export default defineCheck({
  id: 'pg.monitoring',
  remediation:
    "Set log_connections = on, log_disconnections = on, log_statement = 'ddl' (or load pgaudit) and log_line_prefix = '%m [%p] %q%u@%d %r ' in a conf.d file, then reload PostgreSQL.",
  needs: ['postgres'],
  evaluate({ postgres }) {
    return judgeClusters(postgres, judge);
  },
});
