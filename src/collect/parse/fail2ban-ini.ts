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
const OPTION_RE = /^(.*?)\s*([=:])\s*(.*)$/;

function indentOf(line: string): number {
  const m = /\S/.exec(line);
  return m ? m.index : 0;
}

function stripInlineComment(line: string): { text: string; hadComment: boolean } {
  for (let i = line.indexOf(';'); i !== -1; i = line.indexOf(';', i + 1)) {
    if (i === 0 || /\s/.test(line[i - 1]!)) return { text: line.slice(0, i), hadComment: true };
  }
  return { text: line, hadComment: false };
}

export function parseFail2banIni(text: string, path: string): IniFile {
  const file: IniFile = { path, defaults: {}, sections: [], errors: [] };
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let current: Record<string, IniOption> | null = null;
  let sectionName: string | null = null;
  let pending: { opt: IniOption; parts: string[] } | null = null;
  let indentLevel = 0;
  const seenSections = new Set<string>();
  const seenOptions = new Set<string>();
  const byName = new Map<string, IniSection>();
  const finish = () => {
    if (pending) pending.opt.value = pending.parts.join('\n').trimEnd();
  };

  for (const [i, rawLine] of lines.entries()) {
    const lineNo = i + 1;
    let { text: body, hadComment } = stripInlineComment(rawLine);
    const trimmed = rawLine.trim();
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) {
      body = '';
      hadComment = true;
    }
    const value = body.trim();
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
    const name = opt[1].trimEnd().toLowerCase();
    const key = `${sectionName}\u0000${name}`;
    if (seenOptions.has(key)) {
      file.errors.push({ message: `option ${JSON.stringify(name)} in section ${JSON.stringify(sectionName)} already exists`, path, line: lineNo });
    }
    seenOptions.add(key);
    const o: IniOption = { value: opt[3]!.trim(), path, line: lineNo };
    current[name] = o;
    pending = { opt: o, parts: [o.value] };
  }
  finish();
  return file;
}
