// The hottest functions of a V8 .cpuprofile (written by `node --cpu-prof`) by self time, so a missed
// target comes with the place the time went. Usage: node bench/profile/top-functions.js <file> [count]
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function where(frame) {
  if (!frame.url) return '';
  const path = frame.url.startsWith('file://') ? relative(ROOT, fileURLToPath(frame.url)) : frame.url;
  return `${path}:${frame.lineNumber + 1}`;
}

/** [{ name, where, share }] sorted by self time, largest first; idle and GC are listed like functions. */
export function topFunctions(path, count = 15) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const total = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const byFunction = new Map();
  for (const node of profile.nodes) {
    if (!node.hitCount) continue;
    const frame = node.callFrame;
    const key = `${frame.functionName || '(anonymous)'}\u0000${where(frame)}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + node.hitCount);
  }
  return [...byFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, hits]) => {
      const [name, place] = key.split('\u0000');
      return { name, where: place, share: hits / total };
    });
}

export function formatTop(rows) {
  return rows.map((r) => `${(r.share * 100).toFixed(1).padStart(5)}%  ${r.name}  ${r.where}`).join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, count] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node bench/profile/top-functions.js <file.cpuprofile> [count]');
    process.exit(2);
  }
  console.log(formatTop(topFunctions(file, Number(count ?? 15))));
}
