import { printable } from './text.js';

/** Escaping for the renderers. Host strings (paths, excerpts, messages) go through these, never raw. */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or attribute value in HTML/XML; control characters shown escaped (\n, \x1b) so a name cannot hide lines. */
export function esc(s: string): string {
  return printable(s).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Characters XML 1.0 does not allow at all (not even as references): lone surrogates, U+FFFE, U+FFFF.
 * `printable` already took care of the C0 controls.
 */
export function xmlSafe(s: string): string {
  return s.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** XML text or attribute value (double-quoted). */
export function escXml(s: string): string {
  return xmlSafe(esc(s));
}

/**
 * Markdown inline text: punctuation that Markdown or HTML would interpret is backslash-escaped
 * (with `[` `]` escaped no link or image can form, so parentheses stay as they are); a leading
 * `-`, `+` or `=` would start a list or an underline.
 */
export function mdText(s: string): string {
  return printable(s)
    .replace(/[\\`*_{}[\]<>#|~&]/g, (c) => `\\${c}`)
    .replace(/^[-+=]/, (c) => `\\${c}`);
}

/**
 * Markdown code span: the fence is one backtick longer than the longest run inside (CommonMark 6.1),
 * padded with a space when the content starts or ends with a backtick. In a table cell, `|` must be
 * escaped even inside a code span (GFM 4.10); the table parser removes the backslash.
 */
export function mdCode(s: string, inTable = false): string {
  let text = printable(s);
  if (inTable) text = text.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Cells a spreadsheet would read as a formula (OWASP "CSV injection"). Tab and CR are already shown as \t, \r. */
const FORMULA_START = /^[=+\-@]/;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF; quotes doubled. A cell
 * starting with a formula character gets a leading apostrophe so spreadsheets show it as text.
 */
export function csvCell(s: string | number | null): string {
  if (s === null) return '';
  if (typeof s === 'number') return String(s);
  let v = printable(s);
  if (FORMULA_START.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
