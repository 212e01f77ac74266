/**
 * One fail2ban config file as Python's configparser reads it for fail2ban (Python 3.11,
 * fail2ban/client/configparserinc.py): comment prefixes '#' and ';' for whole lines, ';' inline
 * (only after whitespace; '#' is NOT an inline comment), delimiters '=' and ':' (the first one wins),
 * option names lower-cased, section names case-sensitive ('DEFAULT' only in capitals), continuation
 * lines indented deeper than their option, blank lines kept inside values, strict mode (an option
 * twice in one section of one file, or a section twice, is an error that stops fail2ban).
 */

export interface IniOption {
  /** Raw (not interpolated) value, continuation lines joined with '\n'. */
  value: string;
  path: string;
  /** 1-based line of the option name. */
  line: number;
}

export interface IniSection {
  name: string;
  line: number;
  options: Record<string, IniOption>;
}

export interface IniError {
  message: string;
  path: string;
  line: number;
}

export interface IniFile {
  path: string;
  /** [DEFAULT] options. */
  defaults: Record<string, IniOption>;
  /** Other sections in file order (including INCLUDES). */
  sections: IniSection[];
  /** configparser raises the first of these: fail2ban then refuses the whole configuration. */
  errors: IniError[];
}

const DEFAULT_SECTION = 'DEFAULT';
const SECTION_RE = /^\[(.+)\]/;
// Python's whitespace (str.isspace, re's \s), not JavaScript's: U+FEFF (a byte-order mark) is not
// whitespace to Python, so a BOM before [sshd] is "File contains no section headers" (verified with
// fail2ban 1.0.2); \x1c-\x1f and \x85 are.
const WS = '\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const IS_WS = new RegExp(`[${WS}]`);
const NON_WS = new RegExp(`[^${WS}]`);
const LEAD_WS = new RegExp(`^[${WS}]+`);
const TRAIL_WS = new RegExp(`[${WS}]+$`);
const OPTION_RE = new RegExp(`^(.*?)[${WS}]*([=:])[${WS}]*(.*)$`, 's');
const pyStripEnd = (x: string) => x.replace(TRAIL_WS, '');
const pyStrip = (x: string) => pyStripEnd(x.replace(LEAD_WS, ''));

function indentOf(line: string): number {
  const m = NON_WS.exec(line);
  return m ? m.index : 0;
}

function stripInlineComment(line: string): { text: string; hadComment: boolean } {
  for (let i = line.indexOf(';'); i !== -1; i = line.indexOf(';', i + 1)) {
    if (i === 0 || IS_WS.test(line[i - 1]!)) return { text: line.slice(0, i), hadComment: true };
  }
  return { text: line, hadComment: false };
}

export function parseFail2banIni(text: string, path: string): IniFile {
  const file: IniFile = { path, defaults: {}, sections: [], errors: [] };
  // Python reads text files with universal newlines: \r\n, \r and \n each end a line.
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let current: Record<string, IniOption> | null = null;
  let sectionName: string | null = null;
  let pending: { opt: IniOption; parts: string[] } | null = null;
  let indentLevel = 0;
  const seenSections = new Set<string>();
  const seenOptions = new Set<string>();
  const byName = new Map<string, IniSection>();
  const finish = () => {
    if (pending) pending.opt.value = pyStripEnd(pending.parts.join('\n'));
  };

  for (const [i, rawLine] of lines.entries()) {
    const lineNo = i + 1;
    let { text: body, hadComment } = stripInlineComment(rawLine);
    const trimmed = pyStrip(rawLine);
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) {
      body = '';
      hadComment = true;
    }
    const value = pyStrip(body);
    if (!value) {
      if (!hadComment && pending) pending.parts.push('');
      continue;
    }
    const indent = indentOf(rawLine);
    if (current !== null && pending && indent > indentLevel) {
      pending.parts.push(value);
      continue;
    }
    indentLevel = indent;
    const sec = SECTION_RE.exec(value);
    if (sec) {
      finish();
      pending = null;
      const name = sec[1]!;
      if (name === DEFAULT_SECTION) {
        current = file.defaults;
        sectionName = DEFAULT_SECTION;
        continue;
      }
      if (seenSections.has(name)) {
        file.errors.push({ message: `section ${JSON.stringify(name)} already exists`, path, line: lineNo });
      }
      seenSections.add(name);
      let s = byName.get(name);
      if (!s) {
        s = { name, line: lineNo, options: {} };
        byName.set(name, s);
        file.sections.push(s);
      }
      current = s.options;
      sectionName = name;
      continue;
    }
    if (current === null || sectionName === null) {
      file.errors.push({ message: `file contains no section headers (${JSON.stringify(value.slice(0, 60))})`, path, line: lineNo });
      // configparser stops reading the file here.
      return file;
    }
    const opt = OPTION_RE.exec(value);
    if (!opt || !opt[1]) {
      finish();
      pending = null;
      file.errors.push({ message: `not an option line: ${JSON.stringify(value.slice(0, 60))}`, path, line: lineNo });
      continue;
    }
    finish();
    const name = pyStripEnd(opt[1]).toLowerCase();
    const key = `${sectionName}\u0000${name}`;
    if (seenOptions.has(key)) {
      file.errors.push({
        message: `option ${JSON.stringify(name)} in section ${JSON.stringify(sectionName)} already exists`,
        path,
        line: lineNo,
      });
    }
    seenOptions.add(key);
    const o: IniOption = { value: pyStrip(opt[3]!), path, line: lineNo };
    current[name] = o;
    pending = { opt: o, parts: [o.value] };
  }
  finish();
  return file;
}
