// Measures the dashboard's first load on a village phone: Chromium with the slow-4G network
// profile (Lighthouse's: 562.5 ms request latency, 1.47 Mbit/s down, 675 kbit/s up) and the CPU
// slowed four times, both through the DevTools protocol, at 360 × 740, with an empty cache.
// Then the same page again with the cache it filled (the content-hashed files are kept).
//
// Prints, for each load: the first paint (the page index.html paints before the module
// arrives), when the app has drawn its first screen, and the bytes transferred by type with
// the encoding each file came in. Prints timings only; the README records a run's figures.
//
// Usage: node tests/e2e/first-paint.mjs [base-url]   (default http://127.0.0.1:8080)
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BASE = process.argv[2] || process.env.ZHIHUI_E2E_URL || 'http://127.0.0.1:8080';
const SLOW_4G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: (1474.56 * 1024) / 8,
  uploadThroughput: (675 * 1024) / 8,
};
const CPU_SLOWDOWN = 4;

const profile = mkdtempSync(join(tmpdir(), 'zhihui-first-paint-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 360, height: 740 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function load(label) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  const requests = new Map();
  cdp.on('Network.responseReceived', (e) => {
    const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    requests.set(e.requestId, {
      url: e.response.url.replace(BASE, ''),
      type: e.type,
      encoding: h['content-encoding'] || 'none',
      cached: e.response.fromDiskCache || e.response.fromMemoryCache || false,
      status: e.response.status,
      bytes: 0,
    });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.bytes = e.encodedDataLength;
  });
  await page.goto(`${BASE}/`, { waitUntil: 'commit' });
  // The app's first screen: the loading page is gone and the app's own page is drawn.
  await page.waitForFunction(() => !document.getElementById('boot') && document.querySelector('main'), null, {
    timeout: 60_000,
    polling: 50,
  });
  const timing = await page.evaluate(() => {
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    return { firstPaint: paint ? paint.startTime : null, appDrawn: performance.now() };
  });
  // Let the app's first API calls finish, so their bytes are counted too.
  await page.waitForLoadState('networkidle').catch(() => {});
  await cdp.detach();
  await page.close();
  const rows = [...requests.values()].filter((r) => !r.url.startsWith('data:'));
  const total = rows.reduce((a, r) => a + r.bytes, 0);
  console.log(`\n${label}`);
  console.log(`  first paint        ${(timing.firstPaint / 1000).toFixed(2)} s`);
  console.log(`  app's first screen ${(timing.appDrawn / 1000).toFixed(2)} s`);
  console.log(`  transferred        ${(total / 1024).toFixed(1)} KB in ${rows.length} requests`);
  for (const r of rows) {
    const how = r.cached ? 'from cache' : `${r.encoding}, ${r.status}`;
    console.log(`    ${(r.bytes / 1024).toFixed(1).padStart(7)} KB  ${r.url}  (${how})`);
  }
  return { ...timing, total };
}

console.log(`dashboard at ${BASE}: slow 4G (562.5 ms, 1.47 Mbit/s down), CPU ÷${CPU_SLOWDOWN}, 360 × 740`);
try {
  await load('first visit (empty cache)');
  await load('next visit (the cache it filled)');
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
