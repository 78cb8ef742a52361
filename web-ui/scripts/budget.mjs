// Fails the build when the console grows past its size budget (gzip): what the first page loads
// (the entry chunk and its static imports, plus CSS) and the lazy chart chunk.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const out = 'target/classes/webui';
const manifest = JSON.parse(readFileSync(join(out, '.vite/manifest.json'), 'utf8'));
const gz = (file) => gzipSync(readFileSync(join(out, file)), { level: 9 }).length;
const budgets = { initialJs: 180_000, css: 20_000, chartJs: 40_000 };

const entry = Object.values(manifest).find((chunk) => chunk.isEntry);
const initial = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || initial.has(chunk.file)) return;
  initial.add(chunk.file);
  (chunk.imports ?? []).forEach(visit);
};
visit(Object.keys(manifest).find((key) => manifest[key] === entry));
const sizes = {
  initialJs: [...initial].reduce((sum, file) => sum + gz(file), 0),
  css: Object.values(manifest).flatMap((chunk) => chunk.css ?? []).reduce((sum, file) => sum + gz(file), 0),
  chartJs: Object.values(manifest).filter((chunk) => chunk.isDynamicEntry && /chart/.test(chunk.src ?? chunk.file)).reduce((sum, chunk) => sum + gz(chunk.file), 0),
};
let over = false;
for (const [name, size] of Object.entries(sizes)) {
  const ok = size <= budgets[name];
  over ||= !ok;
  console.log(`${ok ? 'ok  ' : 'OVER'} ${name}: ${(size / 1000).toFixed(1)} kB gz (budget ${budgets[name] / 1000} kB)`);
}
if (sizes.chartJs === 0) {
  console.log('OVER chartJs: the chart chunk is missing (it must stay lazy)');
  over = true;
}
process.exit(over ? 1 : 0);
