import type { Report } from '../evaluate/report.js';
import { renderJson } from './json.js';
import { renderText } from './text.js';

export interface RenderOptions {
  /** ANSI colours (text on a terminal only). */
  color: boolean;
}

type Renderer = (report: Report, opts: RenderOptions) => string;

/** One pure renderer per format: Report → string. */
const RENDERERS = {
  text: (r, o) => renderText(r, { color: o.color }),
  json: (r) => renderJson(r),
} satisfies Record<string, Renderer>;

export type Format = keyof typeof RENDERERS;
export const FORMATS = Object.keys(RENDERERS) as Format[];

export function render(format: Format, report: Report, opts: RenderOptions): string {
  return RENDERERS[format](report, opts);
}
