import test from 'ava';
import fc from 'fast-check';
import { escapeHtml, relUrl, renderPage } from './page.js';

const page = () => renderPage({
  title: 'A <b>report</b> & more',
  subtitle: 'sub',
  sections: [
    { heading: 'Setup', paragraphs: ['x < y'], tables: [{ caption: 'T', head: ['k', 'v'], rows: [['peers', 200], ['ratio', NaN], ['name', '"quoted"']] }] },
    { heading: 'Charts', figures: [{ file: 'charts/completion cdf.png', title: 'CDF', caption: 'c' }] },
    { heading: 'More', list: ['one'] },
  ],
  footer: 'f',
});

test('all text is escaped; NaN prints as a dash; numbers right-align', (t) => {
  const html = page();
  t.true(html.includes('<title>A &lt;b&gt;report&lt;/b&gt; &amp; more</title>'));
  t.true(html.includes('<p>x &lt; y</p>'));
  t.true(html.includes('<td class="n">–</td>'));
  t.true(html.includes('<td class="n">200</td>'));
  t.true(html.includes('&quot;quoted&quot;'));
});

test('figures reference PNG files next to the page by relative, encoded URL; no network URL anywhere', (t) => {
  const html = page();
  t.true(html.includes('src="charts/completion%20cdf.png"'));
  t.notRegex(html, /(src|href)="(https?:)?\/\//);
  t.notRegex(html, /@import|url\(/);
});

test('the page marks how many charts decoded (for readers and for the headless check)', (t) => {
  t.regex(page(), /data-charts-ok/);
});

test('escapeHtml: never leaves markup characters, round-trips through the entity decoder', (t) => {
  const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => { const e = escapeHtml(s); return !/[<>"']/.test(e) && decode(e) === s; }), { numRuns: 1000 });
  t.is(relUrl('a b/c#d.png'), 'a%20b/c%23d.png');
});
