import type { Report } from '../evaluate/report.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

export interface RenderOptions {
  /** ANSI colours (text on a terminal only). */
  color: boolean;
  /** CSV: a UTF-8 byte order mark first (audit --csv-bom). */
  csvBom?: boolean;
  /** Text: failures only, a severity filter, the terminal width. */
  text?: { quiet?: boolean; severities?: readonly string[]; columns?: number };
}

type Renderer = (report: Report, opts: RenderOptions) => string;

/** One pure renderer per format: Report → string. */
const RENDERERS = {
  text: (r, o) => renderText(r, { color: o.color, ...o.text }),
  json: (r) => renderJson(r),
  html: (r) => renderHtml(r),
  junit: (r) => renderJunit(r),
  sarif: (r) => renderSarif(r),
  markdown: (r) => renderMarkdown(r),
  csv: (r, o) => renderCsv(r, { bom: o.csvBom === true }),
} satisfies Record<string, Renderer>;

export type Format = keyof typeof RENDERERS;
export const FORMATS = Object.keys(RENDERERS) as Format[];

export function render(format: Format, report: Report, opts: RenderOptions): string {
  return RENDERERS[format](report, opts);
}
