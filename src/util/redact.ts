/**
 * The one redactor of secrets in text Rampart shows or stores (evidence excerpts of cron lines,
 * ExecStart=, env files and scripts; connection URLs of the configuration). Applied at the source
 * (the collector), so no format, snapshot or history row ever holds the secret.
 */

export const HIDDEN = '***';

/** Variable names whose value is a secret (PGPASSWORD, RESTIC_PASSWORD, BORG_PASSPHRASE, AWS_SECRET_ACCESS_KEY, *_TOKEN…). */
const SECRET_NAME = String.raw`[A-Za-z_][A-Za-z0-9_]*(?:PASS(?:WORD|WD|PHRASE)?|SECRET|TOKEN|API_?KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?)[A-Za-z0-9_]*|PASS(?:WORD|WD|PHRASE)?|SECRET|TOKEN`;
/** A shell word value: double-quoted (with escapes), single-quoted, or bare. */
const VALUE = String.raw`"(?:[^"\\]|\\.)*"?|'[^']*'?|[^\s;&|]+`;
/** Options whose argument is a secret or a command that prints one (`--password-command "echo …"`). */
const SECRET_OPTION = String.raw`--(?:[a-z0-9]+-)*(?:password|passwd|passphrase|secret|token|api-key|access-key)(?:-(?:command|cmd))?`;

const ENV_ASSIGN = new RegExp(String.raw`(^|[\s;&|(]|\bexport\s+)((?:${SECRET_NAME})=)(${VALUE})`, 'gi');
const OPTION_EQ = new RegExp(String.raw`(${SECRET_OPTION}=)(${VALUE})`, 'gi');
const OPTION_SP = new RegExp(String.raw`(${SECRET_OPTION}\s+)(${VALUE})`, 'gi');
/** A configuration line `encryption_passphrase: x`, `password = x`, `"token": "x"` (YAML, INI, JSON). */
const KEY_VALUE = new RegExp(String.raw`^(\s*-?\s*["']?(?:${SECRET_NAME})["']?(?:\s*:\s*|\s+=\s*|=\s+))(\S.*)$`, 'gim');
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/[^/:@\s]*):[^@/\s]*@/gi;
const QUERY_SECRET = /([?&](?:key|secret|token|password|passwd|sig|signature|access_token)[^=&\s]*=)[^&\s]+/gi;

/** `text` with every recognised secret replaced by `***` (the name, option or user stays visible). */
export function redactSecrets(text: string): string {
  return text
    .replace(URL_USERINFO, `$1:${HIDDEN}@`)
    .replace(QUERY_SECRET, `$1${HIDDEN}`)
    .replace(KEY_VALUE, `$1${HIDDEN}`)
    .replace(ENV_ASSIGN, `$1$2${HIDDEN}`)
    .replace(OPTION_EQ, `$1${HIDDEN}`)
    .replace(OPTION_SP, (_m, opt: string, value: string) => (value.startsWith('-') ? `${opt}${value}` : `${opt}${HIDDEN}`));
}

/** A connection URL as it may be stored: its password replaced (`postgresql://app:***@db/app`); null stays null. */
export function redactUrlPassword(url: string | null): string | null {
  if (url === null) return null;
  try {
    const u = new URL(url);
    if (u.password === '') return redactSecrets(url);
    u.password = HIDDEN;
    return redactSecrets(u.toString());
  } catch {
    // not a URL the WHATWG parser takes: the textual redaction still removes user:password@
    return redactSecrets(url);
  }
}
