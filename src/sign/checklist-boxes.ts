/** One box of a signed checklist, as the signed document shows it. */
export interface ChecklistBoxState {
  /** checklist.pre.N / checklist.post.N (null when the document does not name it). */
  id: string | null;
  text: string;
  ticked: boolean;
  /** The requirement ids that decide the box. */
  requirements: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The boxes of a checklist rendered by `rampart checklist` (JSON or Markdown), in order; null when the
 * bytes are not such a checklist. Pure: the document is untrusted input.
 */
export function parseChecklistBoxes(bytes: Buffer): ChecklistBoxState[] | null {
  const text = bytes.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    return markdownBoxes(text);
  }
  if (!isRecord(json) || json.kind !== 'rampart-checklist' || !Array.isArray(json.phases)) return null;
  const out: ChecklistBoxState[] = [];
  for (const p of json.phases) {
    if (!isRecord(p) || !Array.isArray(p.items)) return null;
    for (const i of p.items) {
      if (!isRecord(i) || typeof i.text !== 'string' || typeof i.ticked !== 'boolean') return null;
      const reqs = Array.isArray(i.requirements)
        ? i.requirements.flatMap((r) => (isRecord(r) && typeof r.id === 'string' ? [r.id] : []))
        : [];
      out.push({ id: typeof i.id === 'string' ? i.id : null, text: i.text, ticked: i.ticked, requirements: reqs });
    }
  }
  return out;
}

/** `- [x] Text` boxes, with `(`checklist.pre.1`)` and `- status `id`: …` lines indented under each. */
function markdownBoxes(text: string): ChecklistBoxState[] | null {
  if (!/^<!-- rampart-checklist host="[^"\s]*" collectedAt="[^"\s]*" -->$/m.test(text)) return null;
  const out: ChecklistBoxState[] = [];
  for (const line of text.split('\n')) {
    const box = /^- \[([ xX])\] (.*)$/.exec(line);
    if (box) {
      out.push({ id: null, text: box[2]!, ticked: box[1] !== ' ', requirements: [] });
      continue;
    }
    const cur = out[out.length - 1];
    if (!cur || !line.startsWith('  - ')) continue;
    const id = /^ {2}- (?:not )?ticked: .*\(`(checklist\.(?:pre|post)\.\d+)`\)$/.exec(line);
    if (id) cur.id = id[1]!;
    const req = /^ {2}- [a-z-]+ `([a-z0-9.-]+)`: /.exec(line);
    if (req) cur.requirements.push(req[1]!);
  }
  return out.length > 0 ? out : null;
}
