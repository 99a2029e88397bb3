/**
 * The report page: a plain data model rendered to one self-contained HTML file (inline CSS,
 * no scripts or fonts from the network). Charts are PNG files next to it, referenced by
 * relative path, so the folder works offline, from file://, and prints cleanly. Every piece
 * of text is escaped: names and paths come from user input and result files.
 */
export interface Figure { file: string; title: string; caption: string }
export interface Table { caption?: string; head: string[]; rows: (string | number)[][] }
export interface Section { heading: string; paragraphs?: string[]; tables?: Table[]; figures?: Figure[]; list?: string[] }
export interface Page { title: string; subtitle?: string; sections: Section[]; footer?: string }

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'section';

/** Relative URL of a file next to the page: each path segment percent-encoded. */
export const relUrl = (file: string) => file.split('/').map(encodeURIComponent).join('/');

const STYLE = `
body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#111;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em} .subtitle{color:#444;margin-top:0}
h2{border-bottom:1px solid #999;padding-bottom:.2em;margin-top:2em}
nav ul{columns:2;font-size:.95em}
table{border-collapse:collapse;margin:1em 0;font-size:.9em} caption{text-align:left;font-weight:bold;margin-bottom:.3em}
th,td{border:1px solid #aaa;padding:.25em .5em;text-align:left;vertical-align:top} td.n{text-align:right;white-space:nowrap}
thead th{background:#eee}
figure{margin:1.5em 0;page-break-inside:avoid} figure img{max-width:100%;height:auto;border:1px solid #ccc}
figcaption{font-size:.9em;color:#333;margin-top:.3em}
img.broken{outline:3px solid #D55E00}
footer{margin-top:3em;font-size:.85em;color:#555}
@media print{nav{display:none} body{margin:0;max-width:none} h2{page-break-after:avoid}}
`;

// After load, count charts that really decoded (naturalWidth > 0) and mark broken ones, so a
// reader sees a missing chart and an automated check can read the count from the DOM.
const SCRIPT = `window.addEventListener('load',function(){var ok=0,bad=0;document.querySelectorAll('figure img').forEach(function(i){if(i.complete&&i.naturalWidth>0)ok++;else{bad++;i.classList.add('broken');}});document.documentElement.setAttribute('data-charts-ok',String(ok));document.documentElement.setAttribute('data-charts-broken',String(bad));});`;

function table(t: Table): string {
  const cell = (v: string | number) => escapeHtml(typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '–') : v);
  // Numbers (and number-led cells like "4.60 [3.91, 4.73]") right-align so digits line up.
  const cls = (v: string | number) => (typeof v === 'number' || /^[-–0-9.]/.test(v) ? ' class="n"' : '');
  return `<table>${t.caption ? `<caption>${escapeHtml(t.caption)}</caption>` : ''}<thead><tr>${t.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${t.rows.map((r) => `<tr>${r.map((v) => `<td${cls(v)}>${cell(v)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function figure(f: Figure): string {
  return `<figure id="fig-${escapeHtml(slug(f.file))}"><img src="${escapeHtml(relUrl(f.file))}" alt="${escapeHtml(f.title)}" width="900" height="500"><figcaption><strong>${escapeHtml(f.title)}.</strong> ${escapeHtml(f.caption)}</figcaption></figure>`;
}

export function renderPage(p: Page): string {
  const sections = p.sections.map((s) => {
    const body = [
      ...(s.paragraphs ?? []).map((x) => `<p>${escapeHtml(x)}</p>`),
      ...(s.list?.length ? [`<ul>${s.list.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>`] : []),
      ...(s.tables ?? []).map(table),
      ...(s.figures ?? []).map(figure),
    ].join('\n');
    return `<section id="${slug(s.heading)}"><h2>${escapeHtml(s.heading)}</h2>\n${body}\n</section>`;
  });
  const nav = p.sections.length > 2 ? `<nav><ul>${p.sections.map((s) => `<li><a href="#${slug(s.heading)}">${escapeHtml(s.heading)}</a></li>`).join('')}</ul></nav>` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)}</title>
<style>${STYLE}</style>
<script>${SCRIPT}</script>
</head>
<body>
<h1>${escapeHtml(p.title)}</h1>
${p.subtitle ? `<p class="subtitle">${escapeHtml(p.subtitle)}</p>` : ''}
${nav}
${sections.join('\n')}
${p.footer ? `<footer>${escapeHtml(p.footer)}</footer>` : ''}
</body>
</html>
`;
}
