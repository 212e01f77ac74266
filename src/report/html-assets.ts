/** The inline stylesheet and script of the HTML report (no external assets: the file works offline). */

export const HTML_CSS = `
:root{--pass:#1a7f37;--fail:#cf222e;--warn:#bf8700;--na:#6e7781;--unknown:#8250df;--manual:#0a7f86;--waived:#0969da;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:var(--bg)}
main,header.top{max-width:1200px;margin:0 auto;padding:0 20px}
header.top{padding-top:16px}
h1{font-size:22px;margin:0 0 8px}
h2{font-size:18px;margin:28px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:18px 0 8px}
code,pre{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{margin:2px 0 0;padding:4px 8px;background:var(--soft);border-radius:4px;white-space:pre-wrap;word-break:break-all}
[hidden]{display:none!important}
dl.facts{display:flex;flex-wrap:wrap;gap:4px 24px;margin:0 0 8px}
dl.facts div{display:flex;gap:6px}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;font-weight:600}
.overview{display:grid;grid-template-columns:minmax(220px,280px) 1fr;gap:24px;align-items:start}
.scores{display:flex;gap:12px}
.score{flex:1;border:1px solid var(--line);border-radius:8px;padding:10px;text-align:center}
.score .big{display:block;font-size:28px;font-weight:700}
.score small{color:var(--muted)}
ul.counts{list-style:none;padding:0;margin:12px 0 0;display:grid;grid-template-columns:repeat(2,1fr);gap:4px 12px}
ul.counts li{display:flex;justify-content:space-between;border-left:4px solid;padding-left:8px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted)}
.bar{display:flex;height:14px;min-width:160px;border-radius:3px;overflow:hidden;background:var(--soft)}
.bar span{display:block;height:100%}
.num{text-align:right;white-space:nowrap}
.badge{display:inline-block;min-width:64px;text-align:center;border-radius:4px;color:#fff;font-weight:700;font-size:11px;padding:1px 6px;text-transform:uppercase}
.sev{display:inline-block;border:1px solid var(--line);border-radius:10px;padding:0 8px;font-size:12px;color:var(--muted)}
.sev-critical{color:#fff;background:#82071e;border-color:#82071e}.sev-high{color:var(--fail);border-color:var(--fail)}
nav#filters{position:sticky;top:0;z-index:2;background:var(--bg);border-bottom:1px solid var(--line);padding:8px 0;margin-top:16px;display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center}
nav#filters [role=group]{display:flex;flex-wrap:wrap;gap:4px;align-items:center}
nav#filters .label{color:var(--muted);margin-right:4px}
nav#filters button{font:inherit;font-size:12px;border:1px solid var(--line);border-radius:14px;padding:2px 10px;background:var(--bg);cursor:pointer;color:var(--fg)}
nav#filters button[aria-pressed=true]{background:var(--fg);color:#fff;border-color:var(--fg)}
nav#filters button.st[aria-pressed=true]{background:var(--c);border-color:var(--c)}
nav#filters button[aria-pressed=false]{text-decoration:line-through;opacity:.7}
#shown{color:var(--muted);margin-left:auto}
article.req{border:1px solid var(--line);border-left:5px solid var(--c);border-radius:6px;padding:8px 12px;margin:8px 0}
article.req>header{display:flex;flex-wrap:wrap;gap:8px;align-items:baseline}
article.req .title{font-weight:600}
article.req p{margin:4px 0}
.summary{color:var(--fg)}
ul.findings{margin:4px 0;padding-left:20px}
ul.findings li{margin:2px 0;word-break:break-word}
.loc{background:var(--soft);padding:0 4px;border-radius:3px}
.fix,.controls,.waiver{color:var(--muted)}
.waiver{border-left:3px solid var(--waived);padding-left:8px}
details.more>summary{cursor:pointer;color:var(--waived)}
.st-pass{--c:var(--pass)}.st-fail{--c:var(--fail)}.st-warn{--c:var(--warn)}.st-na{--c:var(--na)}.st-unknown{--c:var(--unknown)}.st-manual{--c:var(--manual)}.st-waived{--c:var(--waived)}
.badge,.bar span{background:var(--c)}
ul.counts li{border-color:var(--c)}
.fw{margin-bottom:16px}
.mini{font-size:11px;color:var(--c);font-weight:600}
svg.trend{max-width:100%;height:auto;background:var(--soft);border-radius:6px}
svg.trend text{font:11px system-ui,sans-serif;fill:var(--muted)}
footer{max-width:1200px;margin:32px auto;padding:0 20px;color:var(--muted);font-size:12px}
@media (max-width:800px){.overview{grid-template-columns:1fr}}
@media print{
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  body{font-size:10pt}
  nav#filters{display:none}
  main,header.top{max-width:none;padding:0}
  article.req{break-inside:avoid}
  h2{break-after:avoid}
  a{color:inherit;text-decoration:none}
  details.more:not([open])>summary::after{content:" (collapsed; open the file in a browser to list them)"}
}
`;

/** Filters by status and severity. Reads data attributes, writes only attributes and textContent. */
export const HTML_JS = `
(function () {
  'use strict';
  var filters = document.getElementById('filters');
  var reqs = Array.prototype.slice.call(document.querySelectorAll('article.req'));
  var secs = Array.prototype.slice.call(document.querySelectorAll('section.sec'));
  var shown = document.getElementById('shown');
  var buttons = Array.prototype.slice.call(filters.querySelectorAll('button[data-filter]'));
  function pressed(kind) {
    var set = {};
    buttons.forEach(function (b) {
      if (b.getAttribute('data-filter') === kind && b.getAttribute('aria-pressed') === 'true') set[b.getAttribute('data-value')] = true;
    });
    return set;
  }
  function apply() {
    var st = pressed('status'), sv = pressed('severity'), n = 0;
    reqs.forEach(function (r) {
      var visible = st[r.getAttribute('data-status')] === true && sv[r.getAttribute('data-severity')] === true;
      if (r.hidden === visible) r.hidden = !visible;
      if (visible) n++;
    });
    secs.forEach(function (s) {
      s.hidden = s.querySelector('article.req:not([hidden])') === null;
    });
    shown.textContent = n + ' of ' + reqs.length + ' requirements shown';
  }
  var PRESETS = { all: null, problems: { fail: true, warn: true, unknown: true } };
  filters.addEventListener('click', function (e) {
    var b = e.target instanceof Element ? e.target.closest('button') : null;
    if (!b) return;
    var preset = b.getAttribute('data-preset');
    if (preset !== null) {
      var only = PRESETS[preset];
      buttons.forEach(function (x) {
        var on = x.getAttribute('data-filter') !== 'status' || !only || only[x.getAttribute('data-value')] === true;
        x.setAttribute('aria-pressed', on ? 'true' : 'false');
      });
    } else if (b.hasAttribute('data-filter')) {
      b.setAttribute('aria-pressed', b.getAttribute('aria-pressed') === 'true' ? 'false' : 'true');
    }
    apply();
  });
  apply();
})();
`;
