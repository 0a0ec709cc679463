// Fifty volunteers check in at one venue at once, all from one address, against the service's
// own rate limits (registrations and failed sign-ins a minute per address).
//
//   node crowd.mjs prepare <file>   through the API: the activity, fifty volunteers signed
//                                   up, and sessions for ten of them (run on any service)
//   node crowd.mjs <file>           in Chromium: each volunteer's phone opens the QR code's
//                                   link, 25 at a time; ten are signed in already (the page
//                                   renews the session as it loads), forty sign in on the
//                                   form and the check-in resumes. None may be signed out
//                                   or refused.
import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { BASE, CHROMIUM_ARGS, PASSWORD, api, idNumber } from './support.mjs';

const CROWD = 50;
// The service runs with ZHIHUI_AUTH_RATE_LIMIT_PER_MINUTE at this (a third of the default
// thirty), so that the forty sign-ins exceed it in one minute however long the browsers
// take on the machine: counted as before, they would be refused.
const LIMIT = Number(process.env.ZHIHUI_AUTH_RATE_LIMIT_PER_MINUTE ?? 30);
// Phones loading at the same moment (each a browser context of its own).
const PHONES_AT_ONCE = 25;
const [mode, file] = process.argv[2] === 'prepare' ? ['prepare', process.argv[3]] : ['run', process.argv[2]];
const signIn = async (login) => api('POST', '/auth/login', null, { login, password: PASSWORD });

// The county's admin since the browser flows handed the seat over.
const ADMIN = 'zhang.wei@example.cn';

if (mode === 'prepare') {
  const admin = (await signIn(ADMIN)).access_token;
  const me = await api('GET', '/me', admin);
  const team = me.administered_organizations.find((o) => o.status === 'approved');
  assert.ok(team, `${ADMIN} runs no approved organisation`);
  const starts = new Date(Date.now() + 10 * 60_000);
  const activity = await api('POST', '/activities', admin, {
    organization_id: team.id,
    title: '科普大篷车进社区',
    category: 'science_popularisation',
    description: '在社区广场开展科普展示与互动。',
    starts_at: starts.toISOString(),
    ends_at: new Date(starts.getTime() + 2 * 3600_000).toISOString(),
    place: '朝阳区社区广场',
    region_code: '110105',
    capacity: CROWD + 10,
  });
  await api('POST', `/activities/${activity.id}/publish`, admin, {});
  const volunteers = [];
  const surnames = [...'孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛'];
  const given = [...'春夏秋冬'];
  for (let i = 0; i < CROWD; i += 1) {
    const login = `crowd.${i}@example.cn`;
    const name = `${surnames[i % 20]}${given[Math.floor(i / 20)]}`;
    await api('POST', '/accounts', null, { login, password: PASSWORD, display_name: name });
    const tokens = await signIn(login);
    await api('POST', '/volunteers', tokens.access_token, {
      name,
      id_number: idNumber(`11010519920202${String(100 + i).padStart(3, '0')}`),
      phone: '13912345678',
      region_code: '110105',
      consent: { agreement_version: '2025-01', accepted: true },
    });
    await api('POST', `/activities/${activity.id}/sign-ups`, tokens.access_token, {});
    // One in five holds a session on their phone; the others are signed out.
    volunteers.push({ login, refresh: i % 5 === 0 ? tokens.refresh_token : null });
  }
  writeFileSync(file, JSON.stringify({ activity: activity.id, volunteers }));
  console.log(`prepared ${CROWD} volunteers signed up for ${activity.id}`);
  process.exit(0);
}

const { activity, volunteers } = JSON.parse(readFileSync(file, 'utf8'));
const admin = (await signIn(ADMIN)).access_token;
const { code } = await api('POST', `/activities/${activity}/check-in-codes`, admin, {});
const link = `${BASE}/check-in?activity=${activity}&code=${encodeURIComponent(code)}`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
const failures = [];
const ready = (page) => page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
async function phone(v) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  context.setDefaultTimeout(45_000);
  const page = await context.newPage();
  try {
    if (v.refresh) {
      // The session the phone already holds for this tab.
      await page.addInitScript((t) => {
        if (!sessionStorage.getItem('zhihui.refresh')) sessionStorage.setItem('zhihui.refresh', t);
      }, v.refresh);
    }
    await page.goto(link);
    await ready(page);
    if (!v.refresh) {
      await page.locator('a[href="/sign-in"]').first().click();
      await page.fill('#f-login', v.login);
      await page.fill('#f-password', PASSWORD);
      await page.click('form button[type=submit]');
      await page.waitForURL((u) => u.pathname === '/check-in');
      await ready(page);
      assert.equal(await page.inputValue('#f-code'), code);
    }
    await page.getByRole('button', { name: '签到', exact: true }).click();
    await page.getByText('签到成功').waitFor();
    // Still signed in on the next page load: the session was renewed, not ended.
    await page.goto(`${BASE}/me`);
    await ready(page);
    await page.locator('#total-hours').waitFor();
    assert.ok(await page.evaluate(() => !!sessionStorage.getItem('zhihui.refresh')), 'the session is kept');
  } catch (e) {
    failures.push(`${v.login}: ${String(e).split('\n')[0]}`);
  } finally {
    await context.close();
  }
}

const started = Date.now();
const queue = [...volunteers];
await Promise.all(Array.from({ length: PHONES_AT_ONCE }, async () => {
  while (queue.length) await phone(queue.shift());
}));
const seconds = (Date.now() - started) / 1000;
await browser.close();

// The service's record: every one of them checked in.
let checkedIn = 0;
let cursor = '';
do {
  const page = await api('GET', `/activities/${activity}/sign-ups?limit=100${cursor ? `&cursor=${cursor}` : ''}`, admin);
  checkedIn += page.items.filter((s) => s.checked_in_at).length;
  cursor = page.next_cursor ?? '';
} while (cursor);

// The limit was in force: guesses from the same address are stopped (2 × LIMIT + 1 tries
// cross at most one minute's boundary).
let refused = 0;
for (let i = 0; i < 2 * LIMIT + 1 && refused === 0; i += 1) {
  const r = await fetch(`${BASE}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: `guess.${i}@example.cn`, password: 'wrong-pass-1' }),
  });
  if (r.status === 429) refused = i + 1;
}

console.log(`crowd: ${CROWD} phones on one address, ${volunteers.filter((v) => !v.refresh).length} signing in ` +
  `(limit ${LIMIT} failed sign-ins a minute), ` +
  `in ${seconds.toFixed(1)} s; ${checkedIn} checked in; ${failures.length} failed; ` +
  `a guess was refused at attempt ${refused || 'none'}`);
for (const f of failures) console.error(`  ${f}`);
assert.equal(failures.length, 0, 'every volunteer checks in and stays signed in');
assert.equal(checkedIn, CROWD);
assert.ok(refused > 0, 'the per-address limit on failed sign-ins is in force');
