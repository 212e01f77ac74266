/** One line of a sha256sum(1) manifest (GNU "HASH  NAME" / "HASH *NAME", or BSD "SHA256 (NAME) = HASH"). */
export interface ManifestLine {
  line: number;
  name: string;
  sha256: string;
}

export interface ParsedManifest {
  entries: ManifestLine[];
  errors: { line: number; message: string }[];
}

/** GNU coreutils escapes a name holding "\\" or a newline and marks the line with a leading backslash. */
function unescapeName(s: string): string {
  return s.replace(/\\(\\|n|r)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : '\\'));
}

export function parseSha256Manifest(text: string): ParsedManifest {
  const entries: ManifestLine[] = [];
  const errors: ParsedManifest['errors'] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) continue;
    const gnu = /^(\\?)([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
    const bsd = /^(\\?)SHA256 \((.+)\) = ([0-9a-fA-F]{64})$/.exec(line);
    if (gnu) entries.push({ line: i + 1, sha256: gnu[2]!.toLowerCase(), name: gnu[1] ? unescapeName(gnu[3]!) : gnu[3]! });
    else if (bsd) entries.push({ line: i + 1, sha256: bsd[3]!.toLowerCase(), name: bsd[1] ? unescapeName(bsd[2]!) : bsd[2]! });
    else
      errors.push({
        line: i + 1,
        message: /^[0-9a-fA-F]{32,128}\s/.test(line) ? 'not a SHA-256 line (wrong hash length)' : 'not a sha256sum line',
      });
  }
  return { entries, errors };
}

/** Names a manifest is recognised by: SHA256SUMS (any case, optional extension), *.sha256, *.sha256sum. */
export function isManifestName(name: string): boolean {
  return /^sha256sums?(\.txt)?$/i.test(name) || /\.sha256(sums?)?$/i.test(name);
}
