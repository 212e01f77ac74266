// Scanner JSON reports: trivy `--format json` (SchemaVersion 2: ArtifactName, ArtifactType,
// CreatedAt in newer releases, Metadata.ImageID/RepoDigests) and grype `-o json` (source.type "image",
// source.target.userInput/imageID/repoDigests, descriptor.name "grype", descriptor.timestamp).
import { parseJsonWithLines, type JsonObject, type JsonValue } from './docker-json.js';

export interface ParsedScanReport {
  tool: 'trivy' | 'grype';
  artifact: string;
  imageId: string | null;
  repoDigests: string[];
  /** ISO time from the report, or null (then the file's mtime dates it). */
  createdAt: string | null;
}

const obj = (v: JsonValue | undefined): JsonObject | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : null);
const strOf = (v: JsonValue | undefined): string | null => (typeof v === 'string' && v !== '' ? v : null);
const strs = (v: JsonValue | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const iso = (v: JsonValue | undefined): string | null => {
  const s = strOf(v);
  if (!s) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
};

export function parseScanReport(text: string): { ok: true; report: ParsedScanReport } | { ok: false; reason: string } {
  const j = parseJsonWithLines(text);
  if (!j.ok) return { ok: false, reason: `not JSON (line ${j.line}, column ${j.column}: ${j.message})` };
  const root = obj(j.value);
  if (!root) return { ok: false, reason: 'not a JSON object' };
  if ('SchemaVersion' in root && 'ArtifactName' in root) {
    const type = strOf(root.ArtifactType);
    if (type !== null && type !== 'container_image') return { ok: false, reason: `a trivy report of a ${type}, not of an image` };
    const meta = obj(root.Metadata);
    return {
      ok: true,
      report: {
        tool: 'trivy',
        artifact: strOf(root.ArtifactName) ?? '',
        imageId: strOf(meta?.ImageID),
        repoDigests: strs(meta?.RepoDigests),
        createdAt: iso(root.CreatedAt),
      },
    };
  }
  const desc = obj(root.descriptor);
  const source = obj(root.source);
  if (strOf(desc?.name) === 'grype' && source) {
    if (strOf(source.type) !== 'image')
      return { ok: false, reason: `a grype report of a ${strOf(source.type) ?? 'unknown source'}, not of an image` };
    const t = obj(source.target);
    return {
      ok: true,
      report: {
        tool: 'grype',
        artifact: strOf(t?.userInput) ?? '',
        imageId: strOf(t?.imageID),
        repoDigests: strs(t?.repoDigests),
        createdAt: iso(desc?.timestamp),
      },
    };
  }
  return { ok: false, reason: 'neither a trivy nor a grype JSON report' };
}
