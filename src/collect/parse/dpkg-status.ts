/** An installed package as /var/lib/dpkg/status records it. */
export interface DpkgPackage {
  name: string;
  arch: string;
  version: string;
  /** 1-based line of the stanza's Package: field. */
  line: number;
}

export interface DpkgStatusParse {
  installed: DpkgPackage[];
  /** Stanzas that are known but not installed (removed, config-files, half-installed...). */
  otherStates: number;
  errors: { line: number; message: string }[];
}

/** dpkg status stanzas; a package counts as installed when its Status is "install|hold ok installed". */
export function parseDpkgStatus(text: string): DpkgStatusParse {
  const installed: DpkgPackage[] = [];
  const errors: DpkgStatusParse['errors'] = [];
  let otherStates = 0;
  let line = 1;
  for (const stanza of text.split(/\n\n+/)) {
    const start = line + (stanza.match(/^\n*/)?.[0].length ?? 0);
    line += (stanza.match(/\n/g)?.length ?? 0) + 2;
    const f: Record<string, string> = {};
    for (const l of stanza.split('\n')) {
      const m = /^([A-Za-z0-9-]+):[ \t]*(.*)$/.exec(l);
      if (m) f[m[1]!.toLowerCase()] = m[2]!.trim();
    }
    if (Object.keys(f).length === 0) continue;
    if (!f.package) {
      errors.push({ line: start, message: 'stanza without a Package field' });
      continue;
    }
    const status = (f.status ?? '').split(/\s+/);
    if (status[2] !== 'installed' || status[1] !== 'ok') {
      otherStates++;
      continue;
    }
    if (!f.version) {
      errors.push({ line: start, message: `${f.package} has no Version` });
      continue;
    }
    installed.push({ name: f.package, arch: f.architecture ?? 'all', version: f.version, line: start });
  }
  return { installed, otherStates, errors };
}
