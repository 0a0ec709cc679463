// One browser flow per role, against the real service with the dashboard at `/`.
// Data other flows depend on is prepared through the API; what each flow is about is done
// in the browser, as its user would. Each flow saves a screenshot in ZHIHUI_E2E_OUT.
import { chromium } from 'playwright-core';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { API, BASE, CHROMIUM_ARGS, PASSWORD, api, idNumber, localInput } from './support.mjs';

const OUT = process.env.ZHIHUI_E2E_OUT;

const token = async (login, password = PASSWORD) =>
  (await api('POST', '/auth/login', null, { login, password })).access_token;
async function account(login, name) {
  await api('POST', '/accounts', null, { login, password: PASSWORD, display_name: name });
  return token(login);
}
async function organization(tok, body) {
  return api('POST', '/organizations', tok, {
    contact_name: '王芳', contact_phone: '13800138000', ...body,
  });
}

const thisMonth = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

const profile = mkdtempSync(join(tmpdir(), 'zhihui-e2e-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  acceptDownloads: true,
  args: CHROMIUM_ARGS,
});
context.setDefaultTimeout(15_000);

// Any script error or content-security-policy violation on any page fails the run.
const pageErrors = [];
async function newPage(viewport = { width: 1280, height: 900 }) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  // What cannot be undone is asked first; the flows say yes, and answer a prompt for a
  // reason with `page.reason`.
  page.on('dialog', (d) => d.accept(d.type() === 'prompt' ? (page.reason ?? '') : undefined));
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) pageErrors.push(m.text());
  });
  return page;
}
async function signIn(page, login, password = PASSWORD) {
  await page.goto(`${BASE}/sign-in`);
  await page.fill('#f-login', login);
  await page.fill('#f-password', password);
  await page.click('form button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  await settled(page);
}
/** Waits for the app to run in the build its path asks for (a staff screen reached from the
 * volunteers' build loads the page again in the staff build) with its session renewed: a
 * page loaded while the renewal is under way would cut it short. */
async function settled(page) {
  await page.waitForFunction(() => {
    const parts = location.pathname.split('/').slice(1);
    const staff = ['orgs', 'applications', 'letters', 'platform', 'register-organization', 'work', 'needs', 'hub', 'service-points', 'exhibitions', 'campaigns', 'sign-up', 'unsubscribe'].includes(parts[0])
      || (parts[0] === 'activities' && parts[2] === 'edit') || (parts[0] === 'inbox' && parts[1] === 'settings');
    const { build, ready } = document.documentElement.dataset;
    return !!build && (!staff || build === 'staff') && ready === 'true';
  });
  await page.waitForLoadState('load');
}
// Every key of the dashboard's texts (`me.join`), to catch one shown raw on a screen.
const KEYS = [...readFileSync(new URL('../../frontend/src/i18n.rs', import.meta.url), 'utf8')
  .matchAll(/\(\s*"([a-z_]+\.[a-z0-9_.]+)",/g)].map((m) => m[1]);
const wordFindings = [];
const wideFindings = [];
const axeFindings = [];
let screensRead = 0;
// axe-core (npm), evaluated in the page through the DevTools protocol (the page's content
// security policy forbids injected scripts, and rightly).
const AXE = readFileSync(new URL('./node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
/** Each screen a flow photographs is also read: in Chinese mode no raw key and no English
 * sentence (four English words in a row: the service's own sentence, untranslated), and at
 * 360 px nothing wider than the screen. */
async function checkScreen(page, where) {
  screensRead += 1;
  const found = await page.evaluate((keys) => {
    if (document.documentElement.lang !== 'zh-CN') return [];
    const text = document.body.innerText;
    const raw = keys.filter((k) =>
      new RegExp(`(^|[^\\w.@/-])${k.replace(/\./g, '\\.')}($|[^\\w.@/-])`).test(text));
    const english = text.match(/[A-Za-z][a-z']+(?:[ ,]+[A-Za-z][a-z']+){3,}/g) || [];
    return [...raw.map((k) => `raw key ${k}`), ...english.map((e) => `English "${e}"`)];
  }, KEYS);
  for (const f of found) wordFindings.push(`${where}: ${f}`);
  // Accessibility: no serious or critical violation of WCAG 2 A/AA on the screen.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`);
  });
  for (const v of violations) axeFindings.push(`${where}: ${v}`);
  const size = page.viewportSize();
  if (size && size.width !== 360) await page.setViewportSize({ width: 360, height: size.height });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  if (width > 360) wideFindings.push(`${where}: ${width} px wide at 360 px`);
  if (size && size.width !== 360) await page.setViewportSize(size);
}
/** Moves the focus by Tab alone until it is on `selector` (at most 40 presses): the
 * element is reachable by keyboard, in the page's order. */
async function tabTo(page, selector) {
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`${selector} is not reached by Tab`);
}
/** Tab to the control whose label holds `text` (a checkbox in its label). */
async function tabToLabel(page, text) {
  for (let i = 0; i < 60; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((t) => document.activeElement?.closest('label')?.textContent.includes(t) ?? false, text)) return;
  }
  throw new Error(`the control labelled ${text} is not reached by Tab`);
}
/** Chooses an option of the focused select by arrow keys alone. */
async function arrowTo(page, value) {
  for (let i = 0; i < 60; i += 1) {
    if (await page.evaluate(() => document.activeElement.value) === value) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`option ${value} is not reached by the arrow keys`);
}
async function shot(page, name) {
  await checkScreen(page, name);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
}
const passed = [];
async function flow(name, body) {
  const started = Date.now();
  await body();
  passed.push(name);
  console.log(`ok  ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

try {
  // Prepared through the API: the accounts and the organisations waiting for approval.
  const provTok = await account('prov@example.cn', '省科协管理员');
  const societyTok = await account('society@example.cn', '学会管理员');
  const countyTok = await account('county@example.cn', '县科协管理员');
  const prov = await organization(provTok, {
    name: '北京市科学技术协会', category: 'provincial_association', level: 'province', region_code: '110000',
  });
  const society = await organization(societyTok, {
    name: '中国农学会', category: 'national_society', level: 'national', region_code: '110000',
  });

  await flow('served: security headers, client-side routes fall back to the app', async () => {
    const res = await fetch(`${BASE}/activities/some/client/route`);
    assert.equal(res.status, 200);
    const html = await res.text();
    // The page is asked for each time; the files it names carry their content's hash and
    // are kept for good, sent in the build's brotli copy.
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    // Asked again with its ETag, the page is not sent again.
    const again = await fetch(`${BASE}/`, { headers: { 'if-none-match': res.headers.get('etag') } });
    assert.equal(again.status, 304);
    const boot = html.match(/\/boot-[0-9a-f]{16}\.js/)?.[0];
    assert.ok(boot && /rel="icon"[^>]*favicon-[0-9a-f]{16}\.svg/.test(html), html);
    const bootJs = await (await fetch(`${BASE}${boot}`)).text();
    // Two builds: the volunteers' and the staff one, each named by its content.
    const wasm = bootJs.match(/\/app-[0-9a-f]{16}\.wasm/)?.[0];
    assert.ok(wasm && /\/staff-[0-9a-f]{16}\.wasm/.test(bootJs), bootJs);
    const module = await fetch(`${BASE}${wasm}`, { headers: { 'accept-encoding': 'br' } });
    assert.equal(module.headers.get('content-encoding'), 'br');
    assert.equal(module.headers.get('content-type'), 'application/wasm');
    assert.equal(module.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(new Uint8Array(await module.arrayBuffer()).subarray(0, 4).join(), '0,97,115,109');
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    const docs = await fetch(`${BASE}/docs/`);
    assert.equal(docs.status, 200);
    const api404 = await fetch(`${API}/no-such-thing`);
    assert.equal(api404.status, 404);
    assert.match(api404.headers.get('content-type'), /problem\+json/);
  });

  await flow('organisation staff create a plain account and go on to register the organisation', async () => {
    const page = await newPage({ width: 360, height: 780 });
    await page.goto(`${BASE}/register-organization`);
    await page.getByRole('link', { name: '创建账号' }).first().click();
    await page.waitForURL(/\/sign-up$/);
    await page.fill('#f-login', 'staff@example.cn');
    await page.fill('#f-password', 'short');
    await page.fill('#f-display_name', '李主任');
    await page.click('form button[type=submit]');
    await page.locator('#f-password-error').waitFor();
    await page.fill('#f-password', PASSWORD);
    await page.click('form button[type=submit]');
    await page.waitForURL(/\/register-organization$/);
    await settled(page);
    await page.locator('#f-name').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `the page is ${width} px wide`);
    await page.close();
  });

  await flow('platform admin approves the top-level organisations', async () => {
    const page = await newPage();
    await signIn(page, 'admin@example.cn', 'admin-pass-1');
    // The platform lands on its workbench: the registrations waiting, which open the list.
    await page.waitForURL(/\/work$/);
    await settled(page);
    const waiting = page.locator('a.work-item', { hasText: '组织注册待审核' });
    const before = Number(await waiting.locator('.work-count').textContent());
    assert.ok(before >= 2, `${before} registrations waiting`);
    await shot(page, '01a-platform-workbench');
    await waiting.click();
    await page.waitForURL(/\/platform$/);
    for (const name of ['北京市科学技术协会', '中国农学会']) {
      const card = page.locator('li.card', { hasText: name });
      await card.getByRole('button', { name: '通过' }).click();
    }
    await page.locator('li.card', { hasText: '中国农学会' }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: '工作台' }).click();
    await page.waitForURL(/\/work$/);
    if (before === 2) {
      await page.getByText('暂无待办事项').or(page.locator('a.work-item').first()).first().waitFor();
      assert.equal(await waiting.count(), 0);
    } else {
      await waiting.locator('.work-count', { hasText: String(before - 2) }).waitFor();
    }
    const org = await api('GET', `/organizations/${prov.id}`, provTok);
    assert.equal(org.status, 'approved');
    await shot(page, '01-platform-admin-approves');
    await page.close();
  });

  const county = await organization(countyTok, {
    name: '北京市朝阳区科学技术协会', category: 'county_association', level: 'county', region_code: '110105',
    parent_id: prov.id,
  });

  await flow('province admin approves a child organisation', async () => {
    const page = await newPage();
    await signIn(page, 'prov@example.cn');
    await page.goto(`${BASE}/orgs/${prov.id}/children`);
    const card = page.locator('li.card', { hasText: '朝阳区科学技术协会' });
    await card.getByRole('button', { name: '通过' }).click();
    await card.getByText('已通过').waitFor();
    await shot(page, '02-province-approves-child');
    await page.close();
  });

  await flow('volunteer registers on a phone: a bad ID number is refused beside the field', async () => {
    const page = await newPage({ width: 360, height: 780 });
    await page.goto(`${BASE}/register`);
    await page.fill('#f-login', 'zhang.wei@example.cn');
    await page.fill('#f-password', PASSWORD);
    await page.fill('#f-name', '张伟');
    await page.fill('#f-id_number', '110105194912310021');
    await page.locator('#f-id_number-error').getByText('身份证号校验位不正确').waitFor();
    await page.fill('#f-phone', '13912345678');
    await page.selectOption('#f-region_code-region\\.province', '110000');
    await page.selectOption('#f-region_code-region\\.city', '110100');
    await page.selectOption('#f-region_code-region\\.county', '110105');
    await page.getByRole('searchbox', { name: '搜索团队名称' }).fill('朝阳');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.getByLabel('北京市朝阳区科学技术协会').check();
    await page.locator('input[name=consent]').check();
    // Submitting with the bad number sends nothing: the error stays beside the field.
    await page.click('form button[type=submit]');
    await page.locator('#f-id_number-error').waitFor();
    await shot(page, '03a-volunteer-bad-id-number');
    const before = await api('GET', `/organizations/${county.id}/members?status=pending`, countyTok);
    assert.equal(before.items.length, 0);
    await page.fill('#f-id_number', '11010519491231002X');
    await page.locator('#f-id_number-error').waitFor({ state: 'detached' });
    await page.click('form button[type=submit]');
    await page.getByText('注册成功').waitFor();
    // 360 px: nothing wider than the screen.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `page is ${width} px wide`);
    await shot(page, '03b-volunteer-registered');
    await page.close();
  });

  await flow('team admin approves the join request', async () => {
    const page = await newPage();
    await signIn(page, 'county@example.cn');
    await page.goto(`${BASE}/orgs/${county.id}/members`);
    await page.getByRole('checkbox', { name: '张伟' }).check();
    await page.getByRole('button', { name: '批量通过' }).click();
    // The pending list is read again once every decision has been answered: the
    // request is gone from it only after the approval was stored.
    await page.getByRole('checkbox', { name: '张伟' }).waitFor({ state: 'detached' });
    const members = await api('GET', `/organizations/${county.id}/members?status=approved`, countyTok);
    assert.equal(members.items.length, 1);
    assert.equal(members.items[0].volunteer.name, '张伟');
    await shot(page, '04a-admin-approves-join-request');

    // Bulk import: one good row, one with a bad ID number; the report names the bad row.
    const template = await (await fetch(`${API}/volunteer-imports/template?format=csv`)).text();
    const header = template.replace(/^\uFEFF/, '').split(/\r?\n/)[0].split(',');
    const row = (values) => header.map((h) => values[h] ?? '').join(',');
    const good = idNumber('11010519850315002');
    const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    const csv = [header.join(','),
      row({ '姓名': '王芳', '身份证号': good, '手机号': '13700001111', '居住地区代码': '110105' }),
      row({ '姓名': '赵强', '身份证号': bad, '手机号': '13700002222', '居住地区代码': '110105' })].join('\n') + '\n';
    const file = join(OUT, 'import.csv');
    writeFileSync(file, csv);
    await page.setInputFiles('#f-import', file);
    await page.getByText(/新增 1/).waitFor();
    const refused = page.locator('table.import-errors tbody tr');
    assert.equal(await refused.count(), 1);
    assert.match(await refused.first().textContent(), /^3/);
    await page.locator('table', { hasText: '王芳' }).waitFor();
    await shot(page, '04b-admin-imports-volunteers');
    await page.close();
  });

  // The admin and the volunteer work side by side from here.
  const admin = await newPage();
  await signIn(admin, 'county@example.cn');
  let activityId;
  await flow('team admin creates and publishes an activity', async () => {
    await admin.goto(`${BASE}/orgs/${county.id}/activities`);
    await admin.fill('#f-title', '冬季果树修剪技术培训');
    await admin.fill('#f-description', '为果农讲解冬季修剪要点并现场示范。');
    await admin.fill('#f-starts_at', localInput(1));
    await admin.fill('#f-ends_at', localInput(2));
    await admin.fill('#f-place', '朝阳区科普活动中心');
    // Leaders are found by name among the members, and chosen or removed as chips.
    await admin.fill('#f-leader-search', '张');
    await admin.getByRole('button', { name: '添加 张伟' }).click();
    await admin.locator('.picker .chips li', { hasText: '张伟' }).waitFor();
    await admin.fill('#f-leader-search', '不存在的人');
    await admin.getByText('没有匹配的成员').waitFor();
    await admin.getByRole('button', { name: '移除 张伟' }).click();
    await admin.locator('.picker .chips').waitFor({ state: 'detached' });
    await admin.click('form button[type=submit]');
    await admin.waitForURL(/\/activities\/[0-9a-f-]{36}$/);
    activityId = admin.url().split('/').pop();
    await admin.getByText('草稿').waitFor();
    await admin.getByRole('button', { name: '发布活动' }).click();
    await admin.getByText('已发布').waitFor();
    await shot(admin, '05-admin-publishes-activity');
    // Corrected after publishing: the place changes, checked by the same rule as the API.
    await admin.getByText('编辑活动').click();
    await admin.locator('details.edit #f-place').fill('朝阳区科普活动中心二楼');
    await admin.locator('details.edit button[type=submit]').click();
    await admin.getByText('活动已保存').waitFor();
    await admin.getByText(/朝阳区科普活动中心二楼/).first().waitFor();
    // The same page loaded afresh comes in the volunteers' build, which has no editor: its
    // link loads the staff build with the editor open.
    await admin.goto(`${BASE}/activities/${activityId}`);
    await admin.getByRole('link', { name: '编辑活动' }).click();
    await admin.waitForURL(/\/activities\/[0-9a-f-]{36}\/edit$/);
    await settled(admin);
    await admin.locator('details.edit[open] #f-place').waitFor();
    assert.equal(await admin.inputValue('details.edit #f-place'), '朝阳区科普活动中心二楼');
  });

  await flow('team admin corrects the organisation\'s profile', async () => {
    await admin.goto(`${BASE}/orgs/${county.id}/profile`);
    await admin.fill('#f-contact_phone', '12345');
    await admin.click('section.panel form button[type=submit]');
    await admin.locator('#f-contact_phone-error').waitFor();
    await admin.fill('#f-contact_phone', '13911113333');
    await admin.fill('#f-address', '北京市朝阳区科普路1号');
    await admin.click('section.panel form button[type=submit]');
    await admin.getByText('单位信息已保存').waitFor();
    await admin.goto(`${BASE}/activities/${activityId}`);
  });

  const volunteer = await newPage({ width: 360, height: 780 });
  await signIn(volunteer, 'zhang.wei@example.cn');
  await flow('volunteer signs up and checks in with the code the leader shows', async () => {
    await volunteer.goto(`${BASE}/activities/${activityId}`);
    await volunteer.getByRole('button', { name: '报名参加' }).click();
    await volunteer.getByText('已报名').waitFor();
    await admin.reload();
    await admin.getByRole('button', { name: '显示签到码' }).click();
    const code = (await admin.locator('.check-in-code .code').textContent()).trim();
    assert.match(code, /^[0-9A-Z]{4,12}$/);
    assert.equal(await admin.locator('.check-in-code .qr svg').count(), 1);
    await shot(admin, '06a-leader-shows-check-in-code');
    // On the leader's phone the code and its QR fill the screen without widening the page.
    const leaderPhone = await newPage({ width: 360, height: 780 });
    await signIn(leaderPhone, 'county@example.cn');
    await leaderPhone.goto(`${BASE}/activities/${activityId}`);
    await leaderPhone.getByRole('button', { name: '显示签到码' }).click();
    await leaderPhone.locator('.check-in-code .qr svg').waitFor();
    const phoneWidth = await leaderPhone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(phoneWidth <= 360, `the leader's code page is ${phoneWidth} px wide`);
    const qrWidth = await leaderPhone.locator('.check-in-code .qr svg').evaluate((e) => e.getBoundingClientRect().width);
    assert.ok(qrWidth >= 280, `the QR code is ${qrWidth} px wide on a 360 px phone`);
    await shot(leaderPhone, '06a-leader-code-on-a-phone');
    await leaderPhone.close();
    await volunteer.goto(`${BASE}/check-in`);
    await volunteer.selectOption('#f-activity', activityId);
    await volunteer.fill('#f-code', code === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA');
    await volunteer.getByRole('button', { name: '签到', exact: true }).click();
    await volunteer.locator('.problem').waitFor();
    // The QR code scanned on a phone that is signed out: the check-in waits for the
    // sign-in and resumes with the activity and the code filled in.
    // By keyboard alone: Tab, typing and Enter, no pointer.
    const phone = await newPage({ width: 360, height: 780 });
    await phone.goto(`${BASE}/check-in?activity=${activityId}&code=${encodeURIComponent(code)}`);
    await tabTo(phone, 'a[href="/sign-in"]');
    await phone.keyboard.press('Enter');
    await phone.waitForURL(/\/sign-in$/);
    await tabTo(phone, '#f-login');
    await phone.keyboard.type('zhang.wei@example.cn');
    await tabTo(phone, '#f-password');
    await phone.keyboard.type(PASSWORD);
    await phone.keyboard.press('Enter');
    await phone.waitForURL((u) => u.pathname === '/check-in');
    await settled(phone);
    assert.equal(await phone.inputValue('#f-code'), code);
    // Enter in the code's field checks in, as on a phone's keyboard.
    await tabTo(phone, '#f-code');
    await phone.keyboard.press('Enter');
    await phone.getByText('签到成功').waitFor();
    await shot(phone, '06b-volunteer-checked-in');
    await phone.close();
  });

  let letterId;
  await flow('society sends a pairing letter and the county accepts it', async () => {
    const page = await newPage();
    await signIn(page, 'society@example.cn');
    await page.goto(`${BASE}/orgs/${society.id}/letters`);
    await page.getByRole('button', { name: '撰写结对函' }).click();
    await page.getByRole('searchbox', { name: '结对对象（县级单位）' }).fill('朝阳');
    await page.locator('form.compose').getByRole('button', { name: '搜索' }).click();
    await page.getByLabel(/北京市朝阳区科学技术协会/).check();
    await page.fill('#f-subject', '关于开展农业科技志愿服务结对的函');
    await page.fill('#f-purpose', '发挥学会人才优势，服务朝阳区都市农业发展。');
    await page.fill('[id="f-activities[0].what"]', '果树病虫害防治讲座');
    await page.fill('[id="f-activities[0].month"]', '2027-03');
    await page.fill('[id="f-activities[0].place"]', '朝阳区');
    await page.fill('#f-period_from', '2027-01-01');
    await page.fill('#f-period_to', '2027-12-31');
    await page.fill('#f-contact_name', '李华');
    await page.fill('#f-contact_phone', '13911112222');
    await page.getByRole('button', { name: '发送' }).click();
    await page.waitForURL(/\/letters\//);
    await settled(page);
    letterId = page.url().split('/').pop();
    await page.getByText('已发送').waitFor();
    await shot(page, '07a-society-sends-letter');
    await page.close();

    await admin.goto(`${BASE}/orgs/${county.id}/letters`);
    await admin.getByRole('link', { name: '关于开展农业科技志愿服务结对的函' }).click();
    await admin.getByRole('button', { name: '接受结对' }).click();
    await admin.getByText('已接受').waitFor();
    await admin.locator('.proof').waitFor();
    await shot(admin, '07b-county-accepts-letter');
  });

  let needId;
  await flow('a county posts a need on a phone; its parent dispatches it; the team schedules it; the county rates it', async () => {
    const chinaDay = (days) => new Date(Date.now() + 8 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);
    // The county's admin, on a phone.
    const phone = await newPage({ width: 360, height: 780 });
    await signIn(phone, 'county@example.cn');
    await phone.goto(`${BASE}/needs`);
    await settled(phone);
    await phone.getByRole('button', { name: '发布需求' }).click();
    await phone.selectOption('#f-organization_id', county.id);
    await phone.fill('#f-title', '果树冬季修剪技术指导');
    await phone.getByLabel('农业技术').check();
    await phone.fill('#f-skill_tags', '果树修剪');
    await phone.fill('#f-audience_size', '40');
    await phone.fill('#f-place', '朝阳区果品合作社');
    await phone.locator('[id="f-region_code-region.province"]').selectOption('110000');
    await phone.locator('[id="f-region_code-region.city"]').selectOption('110100');
    await phone.locator('[id="f-region_code-region.county"]').selectOption('110105');
    await phone.fill('#f-window_from', chinaDay(0));
    // A window already over is refused beside its field, and nothing is posted.
    await phone.fill('#f-window_to', chinaDay(-1));
    await phone.fill('#f-contact_name', '李春华');
    await phone.fill('#f-contact_phone', '13900139000');
    await phone.locator('form.need-form').getByRole('button', { name: '发布' }).click();
    await phone.locator('#f-window_to-error').waitFor();
    await phone.fill('#f-window_to', chinaDay(30));
    await phone.locator('form.need-form').getByRole('button', { name: '发布' }).click();
    await phone.waitForURL(/\/needs\/[0-9a-f-]{36}$/);
    await settled(phone);
    needId = phone.url().split('/').pop();
    await phone.locator('.tag', { hasText: '待接单' }).waitFor();
    await shot(phone, '07c-county-posts-need');

    // Its parent association sees the ranked teams and dispatches to the paired society.
    const parent = await newPage();
    await signIn(parent, 'prov@example.cn');
    await parent.goto(`${BASE}/needs/${needId}`);
    await settled(parent);
    const suggestion = parent.locator('li.suggestion', { hasText: '中国农学会' });
    await suggestion.waitFor();
    await shot(parent, '07d-parent-sees-suggestions');
    await suggestion.getByRole('button', { name: '派单给该队伍' }).click();
    await parent.locator('.tag', { hasText: '已派单' }).waitFor();
    await parent.close();

    // The society accepts and schedules its activity within the window.
    const team = await newPage();
    await signIn(team, 'society@example.cn');
    await team.goto(`${BASE}/needs/${needId}`);
    await settled(team);
    await team.getByRole('button', { name: '接受派单' }).click();
    await team.locator('.tag', { hasText: '已接单' }).waitFor();
    const start = localInput(1);
    const end = localInput(2);
    await team.fill('#f-starts_at', start.slice(0, 10));
    await team.fill('#f-start_time', start.slice(11));
    await team.fill('#f-ends_at', end.slice(11));
    await team.locator('fieldset.schedule').getByRole('button', { name: '安排活动' }).click();
    await team.locator('.tag', { hasText: '已排期' }).waitFor();
    await shot(team, '07e-team-schedules-need');
    await team.close();

    // The activity runs; its hours are confirmed (the flow of hours has its own test).
    const need = await api('GET', `/needs/${needId}`, countyTok);
    const societyTok2 = await token('society@example.cn');
    const act = await api('GET', `/activities/${need.activity_id}`, societyTok2);
    assert.equal(act.need_id, needId);
    await api('POST', `/activities/${need.activity_id}/publish`, societyTok2, {});
    // A volunteer of the society's own (the other flows count their volunteers' hours).
    const zhaoTok = await account('zhao.lei@example.cn', '赵磊');
    const zhao = await api('POST', '/volunteers', zhaoTok, {
      name: '赵磊', id_number: idNumber('11010519850612001'), phone: '13912345601', region_code: '110105',
      skills: ['农业技术'], service_categories: ['technical_service'],
      consent: { agreement_version: '2025-01', accepted: true },
    });
    await api('POST', `/activities/${need.activity_id}/sign-ups`, zhaoTok, {});
    const wait = Date.parse(act.ends_at) - Date.now() + 1500;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await api('POST', `/activities/${need.activity_id}/service-hours`, societyTok2,
      { entries: [{ volunteer_id: zhao.id, hours: 1 }] });

    // Served: the county rates it on its phone.
    await phone.reload();
    await settled(phone);
    await phone.locator('.tag', { hasText: '已服务' }).waitFor();
    await phone.selectOption('#f-stars', '5');
    await phone.fill('#f-people_reached', '38');
    await phone.fill('#f-comment', '讲解细致，果农受益');
    await phone.locator('fieldset.rate').getByRole('button', { name: '评价服务' }).click();
    await phone.locator('.tag', { hasText: '已评价' }).waitFor();
    await shot(phone, '07f-county-rates-need');
    // The board's figures count it.
    await phone.goto(`${BASE}/needs`);
    await settled(phone);
    await phone.locator('table.needs-figures tfoot').waitFor();
    await phone.close();
  });

  let pointId;
  let exhibitionId;
  await flow('the county registers a centre and rotates an exhibition between two centres in turn', async () => {
    const chinaDay = (days) => new Date(Date.now() + 8 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);
    // A station is already registered; the centre is registered in the browser.
    const station = await api('POST', '/service-points', countyTok, {
      organization_id: county.id, name: '朝阳区六里屯街道新时代文明实践所', kind: 'civilisation_station',
      region_code: '110105', address: '六里屯街道办事处二层', capacity: 80, exhibition_slots: 1,
    });
    const exhibition = await api('POST', '/exhibitions', countyTok, {
      owner_id: county.id, title: '防范电信网络诈骗科普展', theme: '防范电信诈骗', category: 'scientific_living', panels: 12,
    });
    exhibitionId = exhibition.id;
    const page = await newPage();
    await signIn(page, 'county@example.cn');
    await page.goto(`${BASE}/hub`);
    await settled(page);
    await page.getByRole('button', { name: '登记服务点' }).click();
    await page.selectOption('#f-organization_id', county.id);
    await page.fill('#f-name', '朝阳区新时代文明实践中心');
    await page.selectOption('#f-kind', 'civilisation_centre');
    await page.locator('[id="f-region_code-region.province"]').selectOption('110000');
    await page.locator('[id="f-region_code-region.city"]').selectOption('110100');
    await page.locator('[id="f-region_code-region.county"]').selectOption('110105');
    await page.fill('#f-address', '朝阳区朝阳路 100 号');
    await page.fill('#f-opening_hours', '周二至周日 9:00-17:00');
    await page.fill('#f-capacity', '300');
    await page.fill('#f-exhibition_slots', '1');
    await page.locator('form.point-form').getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/service-points\/[0-9a-f-]{36}$/);
    await settled(page);
    pointId = page.url().split('/').pop();
    await page.getByRole('heading', { name: '朝阳区新时代文明实践中心' }).waitFor();

    // The calendar: the exhibition at the centre first, then at the station.
    await page.goto(`${BASE}/hub`);
    await settled(page);
    await page.getByRole('button', { name: '轮换日历' }).click();
    const place = async (point, from, to) => {
      const form = page.locator('form.stay-form');
      await form.locator('#f-exhibition_id').selectOption(exhibition.id);
      await form.locator('#f-service_point_id').selectOption(point);
      await form.locator('#f-starts_on').fill(from);
      await form.locator('#f-ends_on').fill(to);
      await form.getByRole('button', { name: '安排', exact: true }).click();
    };
    await page.locator('form.stay-form #f-service_point_id option', { hasText: '朝阳区新时代文明实践中心' }).waitFor({ state: 'attached' });
    await place(pointId, chinaDay(1), chinaDay(14));
    await page.locator('table.rotation tr', { hasText: '朝阳区新时代文明实践中心' }).locator('.stay', { hasText: '防范电信诈骗' }).first().waitFor();
    // Not in two places at once: refused with the reason, nothing placed.
    await place(station.id, chinaDay(10), chinaDay(20));
    await page.locator('form.stay-form [role=alert]', { hasText: '该展览在此期间已在其他地点展出' }).waitFor();
    await place(station.id, chinaDay(15), chinaDay(28));
    await page.locator('table.rotation tr', { hasText: '六里屯街道' }).locator('.stay', { hasText: '防范电信诈骗' }).first().waitFor();
    await shot(page, '07g-rotation-calendar');
    const stays = await api('GET', `/exhibition-stays?exhibition_id=${exhibition.id}`, null);
    assert.deepEqual(stays.items.map((s) => s.service_point.id), [pointId, station.id]);

    // The centre's page lists the stay; its host sees what it may do.
    await page.goto(`${BASE}/service-points/${pointId}`);
    await settled(page);
    await page.locator('li.stay', { hasText: '防范电信网络诈骗科普展' }).waitFor();
    await page.locator('li.stay .tag', { hasText: '待展出' }).waitFor();
    await shot(page, '07h-service-point');
    await page.close();
  });

  let campaignId;
  await flow('the city opens a campaign; two societies submit, one short; the city follows and accepts', async () => {
    const chinaDay = (days) => new Date(Date.now() + 8 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);
    // The city association and two municipal societies of its city (under the province in
    // the tree; the city association guides them).
    const cityTok = await account('city@example.cn', '市科协管理员');
    const city = await organization(cityTok, {
      name: '北京市城区科学技术协会', category: 'city_association', level: 'city', region_code: '110100', parent_id: prov.id,
    });
    await api('POST', `/organizations/${city.id}/approve`, provTok);
    const societyOf = async (login, name) => {
      const tok = await account(login, `${name}管理员`);
      const org = await organization(tok, {
        name, category: 'municipal_society', level: 'city', region_code: '110100', parent_id: prov.id,
      });
      await api('POST', `/organizations/${org.id}/approve`, provTok);
      return { tok, org };
    };
    const agri = await societyOf('agri@example.cn', '北京市城区农学会');
    const med = await societyOf('med@example.cn', '北京市城区医学会');

    // The city opens the campaign in the browser, with a field of its own.
    const page = await newPage();
    await signIn(page, 'city@example.cn');
    await page.goto(`${BASE}/campaigns`);
    await settled(page);
    await page.getByRole('button', { name: '发起征集' }).click();
    await page.selectOption('#f-owner_id', city.id);
    await page.fill('#f-title', '年度科普讲座活动征集');
    await page.fill('#f-purpose', '每个学会至少开展3场科普讲座');
    // The year the entries plan for: the one of the month they plan (40 days ahead).
    await page.fill('#f-year', chinaDay(40).slice(0, 4));
    await page.locator('input[name=addressed_categories][value=municipal_society]').check();
    await page.fill('#f-min_entries', '3');
    await page.fill('#f-deadline', chinaDay(30));
    await page.getByRole('button', { name: '添加填报项' }).click();
    await page.locator('[id="f-custom_fields[0].label"]').fill('活动形式');
    await page.locator('[id="f-custom_fields[0].key"]').fill('mode');
    await page.locator('[id="f-custom_fields[0].kind"]').selectOption('choice');
    await page.locator('[id="f-custom_fields[0].choices"]').fill('线上,线下');
    await page.locator('.field-row').getByLabel('必填').check();
    await page.locator('form.campaign-form').getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);
    await settled(page);
    campaignId = page.url().split('/').pop();
    await page.getByRole('button', { name: '发布征集' }).click();
    await page.locator('.tag', { hasText: '征集中' }).first().waitFor();
    await shot(page, '07i-campaign-opened');

    // Each society submits: the medical society two (one short of three) through the API;
    // the agricultural society two through the API and the third on a phone, then completes.
    const entry = (org, title, month) => ({
      organization_id: org.id, title, topic: 'science_popularisation', lead: '李教授',
      planned_month: month, place: '区科技馆报告厅', expected_audience: 80, custom: { mode: '线下' },
    });
    const month = Number(chinaDay(40).slice(5, 7));
    for (const n of [1, 2]) await api('POST', `/campaigns/${campaignId}/entries`, med.tok, entry(med.org, `健康讲座${n}`, month));
    for (const n of [1, 2]) await api('POST', `/campaigns/${campaignId}/entries`, agri.tok, entry(agri.org, `果树修剪讲座${n}`, month));
    const phone = await newPage({ width: 360, height: 780 });
    await signIn(phone, 'agri@example.cn');
    await phone.goto(`${BASE}/campaigns/${campaignId}`);
    await settled(phone);
    await phone.getByRole('button', { name: '添加条目' }).click();
    await phone.fill('#f-title', '果树修剪讲座3');
    await phone.fill('#f-lead', '王研究员');
    await phone.selectOption('#f-planned_month', String(month));
    await phone.fill('#f-place', '区农技推广站');
    await phone.fill('#f-expected_audience', '60');
    // The campaign's own field is required: refused with the reason beside it first.
    await phone.locator('form.entry-form').getByRole('button', { name: '保存' }).click();
    await phone.locator('form.entry-form [role=alert]').first().waitFor();
    await phone.locator('[id="f-custom.mode"]').selectOption('线上');
    await phone.locator('form.entry-form').getByRole('button', { name: '保存' }).click();
    await phone.locator('li.entry', { hasText: '果树修剪讲座3' }).waitFor();
    await phone.getByRole('button', { name: '确认填报完成' }).click();
    await phone.locator('section.submission .tag', { hasText: '已完成' }).waitFor();
    await shot(phone, '07j-society-submits-on-phone');
    await phone.close();
    const short = await fetch(`${BASE}/api/v1/campaigns/${campaignId}/submissions/${med.org.id}/complete`, {
      method: 'POST', headers: { authorization: `Bearer ${med.tok}` },
    });
    assert.equal(short.status, 409);

    // The city sees who has answered, and accepts one of the agricultural society's entries.
    await page.reload();
    await settled(page);
    const medRow = page.locator('table.progress-table tr', { hasText: '北京市城区医学会' });
    await medRow.locator('td', { hasText: '填报中' }).waitFor();
    await medRow.locator('td', { hasText: '2/3' }).waitFor();
    await page.locator('table.progress-table tr', { hasText: '北京市城区农学会' }).locator('td', { hasText: '已完成' }).waitFor();
    await shot(page, '07k-campaign-progress');
    const card = page.locator('li.entry', { hasText: '果树修剪讲座3' });
    await card.getByRole('button', { name: '采纳' }).click();
    await card.locator('.tag', { hasText: '已采纳' }).waitFor();
    await card.getByRole('link', { name: '查看活动草稿' }).waitFor();
    const entries = await api('GET', `/campaigns/${campaignId}/entries?status=accepted`, cityTok);
    assert.equal(entries.items.length, 1);
    const draft = await api('GET', `/activities/${entries.items[0].activity_id}`, agri.tok);
    assert.equal(draft.status, 'draft');
    assert.equal(draft.campaign_id, campaignId);
    assert.equal(draft.organization_id, agri.org.id);
    await page.close();
  });

  // A national society applies with the provincial society of the paired region (rule 33).
  const adminTok = await token('admin@example.cn', 'admin-pass-1');
  const provSociety = await organization(await account('bj-society@example.cn', '北京农学会管理员'), {
    name: '北京农学会', category: 'provincial_society', level: 'province', region_code: '110000',
  });
  await api('POST', `/organizations/${provSociety.id}/approve`, adminTok);

  await flow('platform publishes a call; a society applies with a budget and the stamped form; the platform decides', async () => {
    const platform = await newPage();
    await signIn(platform, 'admin@example.cn', 'admin-pass-1');
    await platform.goto(`${BASE}/platform`);
    await platform.fill('#f-sub_project', '百会百县乡村行');
    await platform.locator('form.compose').getByRole('button', { name: '提交' }).click();
    await platform.getByText('百会百县乡村行').first().waitFor();

    const page = await newPage();
    await signIn(page, 'society@example.cn');
    await page.goto(`${BASE}/orgs/${society.id}/applications`);
    await page.locator('li.card', { hasText: '百会百县乡村行' }).getByRole('button', { name: '填写申报书' }).click();
    await page.fill('#f-title', '朝阳区都市农业科技志愿服务项目');
    await page.fill('#f-summary', '组织学会专家赴朝阳区开展果树栽培技术服务。');
    await page.fill('#f-objectives', '培训果农 200 人次，建立示范园 2 个。');
    await page.fill('#f-budget-0-item', '专家差旅费');
    await page.fill('#f-budget-0-amount', '50,000');
    await page.getByRole('button', { name: '增加预算行' }).click();
    await page.fill('#f-budget-1-item', '培训资料印制');
    await page.fill('#f-budget-1-amount', '3万');
    await page.getByRole('searchbox', { name: '参与的省级学会' }).fill('北京');
    await page.locator('form.compose fieldset', { hasText: '参与的省级学会' }).getByRole('button', { name: '搜索' }).click();
    await page.getByLabel(/北京农学会/).check();
    await page.fill('#f-provincial_partner_role', '组织本省专家参与技术培训。');
    await page.fill('[id="f-contacts[0].name"]', '李华');
    await page.fill('[id="f-contacts[0].phone"]', '13911112222');
    await page.getByRole('button', { name: '保存草稿' }).click();
    // A budget amount that is not a number is refused on its line; nothing is created.
    await page.locator('table.budget .field-error').waitFor();
    await page.fill('#f-budget-1-amount', '30000');
    await page.locator('#budget-total', { hasText: '¥80,000.00' }).waitFor();
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
    await settled(page);
    await page.locator('#requested', { hasText: '¥80,000.00' }).waitFor();
    // Submitting without the stamped form is refused with the reason.
    await page.getByRole('button', { name: '提交', exact: true }).click();
    await page.getByText('提交前请上传盖章申报书').waitFor();
    const form = join(OUT, 'stamped-form.pdf');
    writeFileSync(form, '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
    await page.setInputFiles('#f-file', form);
    await page.locator('.attachments', { hasText: 'stamped-form.pdf' }).waitFor();
    await page.getByRole('button', { name: '提交', exact: true }).click();
    await page.locator('p.meta .tag', { hasText: '已提交' }).waitFor();
    await page.locator('.history', { hasText: '上传附件' }).waitFor();
    await shot(page, '11a-society-submits-application');
    const id = page.url().split('/').pop();
    await page.close();

    // Two reviewers, found in the directory by name on the application's screen, with
    // their load, chosen as removable names, assigned at once.
    await account('expert@example.cn', '评审专家');
    const secondTok = await account('expert2@example.cn', '评审专家乙');
    await platform.goto(`${BASE}/applications/${id}`);
    await platform.fill('#f-reviewer-search', '评');
    await platform.locator('#reviewers form[role=search] button').click();
    await platform.getByText('请至少输入两个字再查找').waitFor();
    await platform.fill('#f-reviewer-search', '评审专家');
    await platform.locator('#reviewers form[role=search] button').click();
    await platform.getByRole('button', { name: '添加 评审专家乙' }).click();
    await platform.getByRole('button', { name: '添加 评审专家', exact: true }).click();
    await platform.locator('#reviewers .picks li', { hasText: 'e***@example.cn' }).first().waitFor();
    await platform.getByRole('button', { name: '移除 评审专家乙' }).click();
    await platform.getByRole('button', { name: '添加 评审专家乙' }).click();
    await platform.getByRole('button', { name: '分配评审' }).click();
    await platform.locator('.toast', { hasText: '评审专家已分配' }).waitFor();
    const assigned = platform.locator('#reviewers > ul.plain:not(.picks) > li');
    await assigned.filter({ hasText: '评审专家乙' }).waitFor();
    await assigned.filter({ hasText: /^评审专家 ·/ }).waitFor();
    await shot(platform, '11a2-platform-assigns-reviewers');
    const reviewer = await newPage();
    await signIn(reviewer, 'expert@example.cn');
    await reviewer.goto(`${BASE}/applications`);
    await reviewer.getByRole('link', { name: '朝阳区都市农业科技志愿服务项目' }).click();
    await reviewer.fill('[id="f-scores[0]"]', '90');
    await reviewer.fill('[id="f-scores[1]"]', '80');
    await reviewer.fill('[id="f-scores[2]"]', '101');
    await reviewer.fill('#f-comment', '方案可行，预算合理。');
    await reviewer.locator('form.compose').getByRole('button', { name: '提交' }).click();
    await reviewer.locator('[id="f-scores[2]-error"]').waitFor();
    await reviewer.fill('[id="f-scores[2]"]', '70');
    await reviewer.locator('form.compose').getByRole('button', { name: '提交' }).click();
    // (90×30 + 80×40 + 70×30) / 100
    await reviewer.getByText('加权得分 80.0').waitFor();
    await shot(reviewer, '11b-reviewer-scores');
    await reviewer.close();

    // The second reviewer scores through the API (a mobile client).
    await api('PUT', `/applications/${id}/reviews/mine`, secondTok, {
      scores: [{ criterion: '项目意义', score: 60 }, { criterion: '实施方案', score: 70 }, { criterion: '预算合理性', score: 80 }],
      comment: '建议压缩差旅预算。',
    });
    // The platform reads both reviews (who, the weighted score, the comment) and the
    // stamped form before deciding.
    await platform.goto(`${BASE}/applications/${id}`);
    const review = platform.locator('#reviews li.review', { hasText: /评审专家(?!乙)/ });
    await review.getByText('加权得分 80.0').waitFor();
    await review.getByText('方案可行，预算合理。').waitFor();
    await platform.locator('#reviews li.review', { hasText: '建议压缩差旅预算。' }).waitFor();
    assert.equal(await platform.locator('#reviews li.review').count(), 2);
    const [stamped] = await Promise.all([
      platform.waitForEvent('download'),
      platform.locator('.attachments').getByRole('button', { name: 'stamped-form.pdf' }).click(),
    ]);
    assert.equal(stamped.suggestedFilename(), 'stamped-form.pdf');
    assert.equal(readFileSync(await stamped.path()).subarray(0, 5).toString(), '%PDF-');
    await platform.fill('#f-granted_fen', '60000');
    await platform.locator('form.compose').getByRole('button', { name: '提交' }).click();
    await platform.locator('.toast', { hasText: '评审决定已提交' }).waitFor();
    await platform.locator('p.meta .tag', { hasText: '已立项' }).waitFor();
    const decided = await api('GET', `/applications/${id}`, societyTok);
    assert.equal(decided.status, 'approved');
    assert.equal(decided.granted_fen, 6_000_000);
    await shot(platform, '11c-platform-decides');
    await platform.close();

    // The approved project's summary is filed on the same screen by the applicant.
    const applicant = await newPage();
    await signIn(applicant, 'society@example.cn');
    await applicant.goto(`${BASE}/applications/${id}`);
    await applicant.fill('#f-text', '完成果树栽培培训 6 场，培训果农 230 人次。');
    await applicant.locator('#project-summary').getByRole('button', { name: '提交' }).click();
    await applicant.locator('.history', { hasText: '结项' }).waitFor();
    assert.ok((await api('GET', `/applications/${id}`, societyTok)).summary_text);
    await applicant.close();
  });

  await flow('the province endorses one application and declines another with a reason', async () => {
    // A call that asks for the province's endorsement, one a province; two Beijing
    // societies apply, each with its stamped form (through the API).
    const now = Date.now();
    const call = await api('POST', '/calls', adminTok, {
      programme: '智惠行动', sub_project: '科技志愿服务示范项目', year: new Date(now).getFullYear(),
      opens_at: new Date(now - 3600_000).toISOString(), closes_at: new Date(now + 30 * 86400_000).toISOString(),
      eligible_categories: ['national_society', 'provincial_society'], form_variant: 'society',
      cap_fen: 20_000_000, pairing_required: false, endorsement_required: true, province_quota: 1,
      summary_due: `${new Date(now).getFullYear() + 1}-08-31`,
      criteria: [{ name: '可行性', weight: 60 }, { name: '效益', weight: 40 }],
    });
    const apply = async (tok, applicant, title, partner = {}) => {
      const a = await api('POST', '/applications', tok, {
        ...partner, call_id: call.id, applicant_id: applicant, title,
        summary: '组织专家赴区县开展技术培训和现场指导。', objectives: '培训农户300人次。',
        activities: [{ what: '技术培训', month: `${new Date(now).getFullYear()}-12`, place: '区农业技术推广中心' }],
        budget: [{ item: '专家差旅费', amount_fen: 5_000_000 }], requested_fen: 5_000_000,
        contacts: [{ name: '王建国', role: '项目负责人', phone: '13800138000' }],
      });
      const form = new FormData();
      form.append('file', new Blob([readFileSync(join(OUT, 'stamped-form.pdf'))], { type: 'application/pdf' }), '盖章申报书.pdf');
      const up = await fetch(`${API}/applications/${a.id}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${tok}` }, body: form });
      assert.equal(up.status, 201, await up.text());
      await api('POST', `/applications/${a.id}/submit`, tok, {});
      return a.id;
    };
    const bjTok = await token('bj-society@example.cn');
    // A national society brings in a provincial society (rule 33).
    const first = await apply(societyTok, society.id, '顺义区设施农业科技志愿服务', {
      provincial_partner_id: provSociety.id, provincial_partner_role: '组织本省专家参与技术培训。',
    });
    const second = await apply(bjTok, provSociety.id, '延庆区林果科技志愿服务');

    // The province's workbench counts both; its card opens the list.
    const page = await newPage();
    await signIn(page, 'prov@example.cn');
    await page.goto(`${BASE}/work`);
    await settled(page);
    const card = page.locator('a.work-item', { hasText: '申报待推荐' });
    await card.locator('.work-count', { hasText: '2' }).waitFor();
    await card.click();
    await page.getByRole('link', { name: '顺义区设施农业科技志愿服务' }).click();
    await page.fill('#f-reason', '项目基础扎实，同意推荐。');
    await page.locator('#endorsement').getByRole('button', { name: '推荐', exact: true }).click();
    await page.locator('.toast', { hasText: '已推荐该申报' }).waitFor();
    await page.locator('p.meta .tag', { hasText: '已推荐' }).waitFor();
    await shot(page, '11d-province-endorses');
    // Declining needs the reason, asked for beside its field; then the applicant sees it.
    await page.goto(`${BASE}/applications/${second}`);
    await page.locator('#endorsement').getByRole('button', { name: '不予推荐' }).click();
    await page.locator('#f-reason-error').waitFor();
    await page.fill('#f-reason', '本省名额已用于顺义区项目。');
    await page.locator('#endorsement').getByRole('button', { name: '不予推荐' }).click();
    await page.locator('.toast', { hasText: '已不予推荐' }).waitFor();
    await page.locator('p.meta .tag', { hasText: '未获推荐' }).waitFor();
    await page.close();
    assert.equal((await api('GET', `/applications/${first}`, societyTok)).status, 'endorsed');
    const declined = await api('GET', `/applications/${second}`, bjTok);
    assert.equal(declined.status, 'endorsement_declined');
    assert.match(JSON.stringify(declined), /本省名额已用于顺义区项目/);
  });

  await flow('an organisation connects another system: an API client and a webhook, with deliveries', async () => {
    const page = await newPage();
    await signIn(page, 'society@example.cn');
    await page.goto(`${BASE}/orgs/${society.id}/integrations`);
    await page.fill('#f-name', '省志愿服务平台同步');
    await page.getByLabel('活动 · 只读').check();
    await page.getByRole('button', { name: '创建并显示密钥' }).click();
    const key = await page.locator('code.secret').textContent();
    assert.match(key, /^zhc_[0-9a-f]{12}_/);
    // The key works, within its scope only.
    const r = await fetch(`${BASE}/api/v1/activities/${activityId}/sign-ups`, { headers: { authorization: `Bearer ${key}` } });
    assert.ok([200, 403, 404].includes(r.status));
    await page.getByRole('button', { name: '吊销' }).click();
    await page.locator('td .tag', { hasText: '已吊销' }).waitFor();
    const refused = await fetch(`${BASE}/api/v1/activities?limit=1`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(refused.status, 401);

    // A local address is refused beside the field; a public one is kept with its secret shown once.
    await page.fill('#f-url', 'https://127.1/hook');
    await page.getByLabel('活动发布').check();
    await page.getByRole('button', { name: '创建并显示签名密钥' }).click();
    await page.locator('#f-url-error').waitFor();
    await page.fill('#f-url', 'https://hooks.example.cn/zhihui');
    await page.getByRole('button', { name: '创建并显示签名密钥' }).click();
    await page.locator('code.secret', { hasText: 'whsec_' }).waitFor();
    await page.getByRole('button', { name: '测试推送' }).click();
    await page.getByRole('button', { name: '推送记录' }).click();
    await page.locator('.deliveries td', { hasText: '测试推送' }).waitFor();
    await shot(page, '12-integrations');

    // A list longer than a page is not cut: 22 clients, 20 a page, the rest on asking.
    for (let i = 0; i < 21; i += 1) {
      await api('POST', `/organizations/${society.id}/api-clients`, societyTok, { name: `系统 ${i}`, scopes: ['activities:read'] });
    }
    await page.reload();
    const clients = page.locator('td code', { hasText: /^zhc_/ });
    await clients.nth(19).waitFor();
    assert.equal(await clients.count(), 20);
    await page.getByRole('button', { name: '加载更多' }).first().click();
    await clients.nth(21).waitFor();
    assert.equal(await clients.count(), 22);
    await page.close();
  });

  await flow('an unknown activity shows a message, not a blank page or JSON', async () => {
    await volunteer.goto(`${BASE}/activities/00000000-0000-0000-0000-000000000000`);
    await volunteer.locator('.problem').waitFor();
    const body = await volunteer.locator('main').textContent();
    assert.doesNotMatch(body, /[{}]/);
  });

  await flow('team admin confirms hours after the activity and issues a certificate', async () => {
    const activity = await api('GET', `/activities/${activityId}`, countyTok);
    const wait = Date.parse(activity.ends_at) - Date.now() + 1500;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await admin.goto(`${BASE}/activities/${activityId}`);
    // Attendance by hand needs a reason, asked for beside its field.
    await admin.getByRole('button', { name: '记为缺勤' }).click();
    await admin.locator('#f-reason-error').waitFor();
    await admin.getByRole('spinbutton', { name: /张伟/ }).fill('2');
    await admin.getByRole('checkbox', { name: '张伟' }).check();
    await admin.getByRole('button', { name: '确认所选人员服务时长' }).click();
    await admin.locator('td.hours', { hasText: '2 小时' }).waitFor();
    await admin.getByRole('button', { name: '开具证明' }).click();
    await admin.getByText(/证明编号 ZHC-/).waitFor();
    await shot(admin, '08-admin-confirms-hours');
  });

  await flow('volunteer sees the hours and downloads the certificate', async () => {
    await volunteer.goto(`${BASE}/me`);
    await volunteer.locator('#total-hours', { hasText: '2 小时' }).waitFor();
    const [download] = await Promise.all([
      volunteer.waitForEvent('download'),
      volunteer.getByRole('button', { name: '下载 PDF' }).click(),
    ]);
    const file = join(OUT, 'certificate.pdf');
    await download.saveAs(file);
    assert.equal(readFileSync(file).subarray(0, 5).toString(), '%PDF-');
    await shot(volunteer, '09a-volunteer-certificates');
    const number = download.suggestedFilename().replace(/\.pdf$/, '');
    await volunteer.goto(`${BASE}/verify/${number}`);
    await volunteer.getByText('证明有效').waitFor();
    await volunteer.getByText('张*').or(volunteer.getByText('张伟')).first().waitFor();
    await shot(volunteer, '09b-certificate-verified');
  });

  await flow('monthly report submitted and seen in the parent\'s roll-up', async () => {
    await admin.goto(`${BASE}/orgs/${county.id}/reports`);
    await admin.fill('#f-month', thisMonth());
    await admin.getByRole('button', { name: '生成月报草稿' }).click();
    await admin.fill('#f-narrative', '本月开展果树修剪培训一场。');
    await admin.fill('#f-people_served', '40');
    await admin.getByRole('button', { name: '提交月报' }).click();
    await admin.locator('.report .tag', { hasText: '已提交' }).waitFor();
    await shot(admin, '10a-county-submits-report');

    const page = await newPage();
    await signIn(page, 'prov@example.cn');
    await page.goto(`${BASE}/orgs/${prov.id}/rollup`);
    await page.fill('#f-from', thisMonth());
    await page.fill('#f-to', thisMonth());
    await page.getByRole('button', { name: '查询' }).click();
    // The page opens on last month; the figures are this month's once the table says so.
    const [year, month] = thisMonth().split('-');
    await page
      .locator('table.rollup[aria-busy="false"] caption', { hasText: new RegExp(`${year}年${Number(month)}月$`) })
      .waitFor();
    const row = page.locator('table.rollup tbody tr', { hasText: '朝阳区科学技术协会' });
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    // organisations, activities, attendances, hours, new volunteers, filed, late, missing
    assert.equal(cells[1], '1');
    assert.equal(cells[3], '2 小时');
    assert.equal(cells[5], '1');
    assert.equal(await page.locator('figure.chart svg rect.bar').count() > 0, true);
    // The year's months chart the province's whole subtree (the table's figures), not the
    // province's own (it held nothing itself).
    const months = page.locator('figure.chart', { hasText: `${year}年各月服务时长` });
    await months.locator('.chart-value', { hasText: '2 小时' }).first().waitFor();
    // The grid colours each child by the chosen figure; a child's tile or name opens its
    // own roll-up, and the trail leads back.
    const tile = page.locator('.grid-map .tile', { hasText: '朝阳区科学技术协会' });
    assert.match(await tile.getAttribute('class'), /heat-[1-5]/);
    await page.selectOption('#f-grid-figure', 'rollup.missing');
    await row.getByRole('button', { name: '朝阳区科学技术协会' }).click();
    await page.locator('table.rollup caption', { hasText: '朝阳区科学技术协会 ·' }).waitFor();
    await page.locator('nav.trail', { hasText: '顶层' }).waitFor();
    // On a phone the table becomes cards, and nothing is wider than the screen.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.locator('table.rollup tbody td[data-label="服务时长"]').first().waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 360), true);
    await shot(page, '10c-county-rollup-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: '顶层' }).click();
    await page.locator('table.rollup caption', { hasText: '北京市科学技术协会 ·' }).waitFor();
    await shot(page, '10b-parent-rollup');
    await page.close();
  });

  await flow('the parent returns a report with a reason; the unit corrects it and the parent accepts', async () => {
    const parent = await newPage();
    await signIn(parent, 'prov@example.cn');
    await parent.goto(`${BASE}/orgs/${prov.id}/reports`);
    const waiting = parent.locator('tr', { hasText: '北京市朝阳区科学技术协会' });
    parent.reason = '请补充服务对象人数的统计口径。';
    await waiting.getByRole('button', { name: '退回' }).click();
    await parent.locator('.toast', { hasText: '月报已退回' }).waitFor();
    await waiting.waitFor({ state: 'detached' });

    // The unit sees why, corrects the report and sends it again.
    const [year, month] = thisMonth().split('-');
    await admin.goto(`${BASE}/orgs/${county.id}/reports`);
    await admin.getByRole('button', { name: `${year}年${Number(month)}月` }).click();
    await admin.locator('.report .problem', { hasText: '请补充服务对象人数的统计口径。' }).waitFor();
    await admin.locator('.report .tag', { hasText: '已退回' }).waitFor();
    await shot(admin, '10d-county-sees-returned-report');
    await admin.fill('#f-narrative', '本月开展果树修剪培训一场，服务对象按签到人数统计。');
    await admin.getByRole('button', { name: '提交月报' }).click();
    await admin.locator('.report .tag', { hasText: '已提交' }).waitFor();

    await parent.reload();
    await settled(parent);
    await waiting.getByRole('button', { name: '通过' }).click();
    await parent.locator('.toast', { hasText: '月报已接收' }).waitFor();
    await waiting.waitFor({ state: 'detached' });
    const reports = await api('GET', `/monthly-reports?organization_id=${county.id}`, countyTok);
    assert.equal(reports.items.find((r) => r.month === thisMonth()).status, 'accepted');
    await parent.close();
  });

  await flow('a rejected organisation corrects its registration and sends it again', async () => {
    const tok = await account('forestry@example.cn', '赵主任');
    const org = await organization(tok, {
      name: '中国林学会', category: 'national_society', level: 'national', region_code: '110000',
    });
    await api('POST', `/organizations/${org.id}/reject`, adminTok, { reason: '联系人电话无法接通' });
    const page = await newPage({ width: 360, height: 780 });
    await signIn(page, 'forestry@example.cn');
    await page.goto(`${BASE}/orgs/${org.id}/profile`);
    await page.getByText('联系人电话无法接通').first().waitFor();
    await page.fill('#f-contact_phone', '13911114444');
    await page.click('section.panel form button[type=submit]');
    await page.getByText('单位信息已保存').waitFor();
    await page.getByRole('button', { name: '重新提交审核' }).click();
    await page.getByText('已重新提交').waitFor();
    const again = await api('GET', `/organizations/${org.id}`, tok);
    assert.equal(again.status, 'pending');
    assert.equal(again.contact_phone, '13911114444');
    await shot(page, '11-rejected-organisation-resubmits');
    await page.close();
  });

  await flow('a volunteer registers on a phone by keyboard alone', async () => {
    const page = await newPage({ width: 360, height: 780 });
    await page.goto(`${BASE}/register`);
    await settled(page);
    for (const [field, value] of [['#f-login', 'li.na@example.cn'], ['#f-password', PASSWORD], ['#f-name', '李娜'],
      ['#f-id_number', idNumber('11010519900307004')], ['#f-phone', '13912340000']]) {
      await tabTo(page, field);
      await page.keyboard.type(value);
    }
    for (const [level, code] of [['province', '110000'], ['city', '110100'], ['county', '110105']]) {
      await tabTo(page, `#f-region_code-region\\.${level}`);
      await arrowTo(page, code);
    }
    await tabTo(page, 'input[type=search]');
    await page.keyboard.type('朝阳');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByLabel('北京市朝阳区科学技术协会').waitFor();
    await tabToLabel(page, '北京市朝阳区科学技术协会');
    await page.keyboard.press('Space');
    await tabTo(page, 'input[name=consent]');
    await page.keyboard.press('Space');
    await tabTo(page, 'form button[type=submit]');
    await page.keyboard.press('Enter');
    await page.getByText('注册成功').waitFor();
    const pending = await api('GET', `/organizations/${county.id}/members?status=pending`, countyTok);
    assert.ok(pending.items.some((m) => m.volunteer.name === '李娜'), 'the join request was sent');
    await page.close();
  });

  await flow('a team of 300 members: paged to its end and searched', async () => {
    const template = await (await fetch(`${API}/volunteer-imports/template?format=csv`)).text();
    const header = template.replace(/^\uFEFF/, '').split(/\r?\n/)[0].split(',');
    const surnames = [...'赵钱孙周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕'];
    const given = [...'明华强军平刚敏静丽艳芳娟霞秀英'];
    const rows = [];
    for (let i = 0; i < 300; i += 1) {
      const values = {
        '姓名': `${surnames[i % 20]}${given[Math.floor(i / 20)]}${given[(i + 7) % 15]}`,
        '身份证号': idNumber(`1101051975${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(100 + i).slice(-3)}`),
        '手机号': `137${String(10_000_000 + i).slice(-8)}`,
        '居住地区代码': '110105',
      };
      rows.push(header.map((h) => values[h] ?? '').join(','));
    }
    const form = new FormData();
    form.append('file', new Blob([[header.join(','), ...rows].join('\n') + '\n'], { type: 'text/csv' }), 'members.csv');
    const res = await fetch(`${API}/organizations/${county.id}/volunteer-imports`, {
      method: 'POST', headers: { authorization: `Bearer ${countyTok}` }, body: form,
    });
    assert.ok(res.ok, await res.text());
    const all = (await api('GET', `/organizations/${county.id}`, countyTok)).approved_members;
    assert.ok(all > 300, `${all} members`);

    const page = await newPage();
    await signIn(page, 'county@example.cn');
    await page.goto(`${BASE}/orgs/${county.id}/members`);
    const names = page.locator('#members-shown + .table-wrap tbody tr');
    await page.locator('#members-shown', { hasText: '已显示 200 人' }).waitFor();
    await page.getByRole('button', { name: '加载更多' }).last().click();
    await page.locator('#members-shown', { hasText: `已显示 ${all} 人` }).waitFor();
    assert.equal(await names.count(), all);
    // At the end there is nothing more to ask for.
    assert.equal(await page.locator('section.panel:has(#members-shown) p.more').count(), 0);
    await page.fill('#f-member-search', '赵');
    await page.locator('form[role=search] button').click();
    await page.locator('#members-shown', { hasText: '已显示 15 人' }).waitFor();
    await shot(page, '04c-admin-searches-members');
    await page.close();
  });

  await flow('an admin hands over the admin seat', async () => {
    const page = await newPage();
    await signIn(page, 'county@example.cn');
    await page.goto(`${BASE}/orgs/${county.id}/admins`);
    await page.fill('#f-login', 'zhang.wei@example.cn');
    await page.getByRole('button', { name: '设为管理员' }).click();
    await page.locator('.toast', { hasText: '已设为管理员' }).waitFor();
    const mine = page.locator('section.panel ul.plain > li', { hasText: '县科协管理员' });
    await page.locator('section.panel ul.plain > li').nth(1).waitFor();
    await mine.getByRole('button', { name: '取消管理员' }).click();
    await page.waitForURL((u) => u.pathname === '/work');
    await page.locator('.toast', { hasText: '已取消管理员' }).waitFor();
    const org = await api('GET', `/organizations/${county.id}`, await token('zhang.wei@example.cn'));
    assert.equal(org.admins.length, 1);
    const me = await api('GET', '/me', await token('zhang.wei@example.cn'));
    assert.ok(me.administered_organizations.some((o) => o.id === county.id), 'the new admin runs it');
    const before = await api('GET', '/me', await token('county@example.cn'));
    assert.ok(!before.administered_organizations.some((o) => o.id === county.id), 'the old one no longer does');
    await page.close();
  });

  await flow('a join request shows in the admin\'s count; the day-before email\'s link confirms attendance', async () => {
    // A new volunteer asks to join the county's team: the team admin's header counts it.
    const vTok = await account('zhou.ming@example.cn', '周明');
    await api('POST', '/volunteers', vTok, {
      name: '周明', id_number: idNumber('11010519910203005'), phone: '13912345605', region_code: '110105',
      skills: ['科普讲解'], service_categories: ['science_popularisation'],
      consent: { agreement_version: '2025-01', accepted: true },
    });
    await api('POST', `/organizations/${county.id}/memberships`, vTok, {});
    const admin = await newPage();
    await signIn(admin, 'zhang.wei@example.cn');
    for (let i = 0; i < 40 && !(await admin.locator('#unread-count').count()); i += 1) {
      await new Promise((r) => setTimeout(r, 500));
      await admin.reload();
      await settled(admin);
    }
    await admin.locator('#unread-count').waitFor();
    await admin.getByRole('link', { name: /^通知/ }).click();
    await admin.waitForURL(/\/inbox$/);
    await settled(admin);
    await admin.locator('.inbox .card.unread', { hasText: '收到加入团队申请' }).first().waitFor();
    await shot(admin, '07j-inbox-join-request');
    await admin.getByRole('button', { name: '全部标为已读' }).click();
    await admin.locator('.toast', { hasText: '已全部标为已读' }).waitFor();
    await admin.close();

    // The volunteer gives an email address on a phone, then signs up for an activity that
    // starts in twenty hours: the sender emails the day-before reminder with its links.
    const phone = await newPage({ width: 360, height: 780 });
    await signIn(phone, 'zhou.ming@example.cn');
    await phone.goto(`${BASE}/inbox`);
    await settled(phone);
    await phone.getByRole('link', { name: '通知设置' }).click();
    await phone.waitForURL(/\/inbox\/settings$/);
    await settled(phone);
    await phone.fill('#f-email', 'zhou.ming@example.cn');
    await phone.getByRole('button', { name: '保存设置' }).click();
    await phone.locator('.toast', { hasText: '通知设置已保存' }).waitFor();
    await shot(phone, '07k-notification-settings');
    await phone.close();
    const adminTok = await token('zhang.wei@example.cn');
    const org = await api('GET', `/organizations/${county.id}`, adminTok);
    const starts = new Date(Date.now() + 20 * 3600_000);
    const act = await api('POST', '/activities', adminTok, {
      organization_id: county.id, title: '社区急救知识讲座', category: 'science_popularisation',
      description: '心肺复苏与止血包扎', starts_at: starts.toISOString(),
      ends_at: new Date(starts.getTime() + 2 * 3600_000).toISOString(), place: '社区活动中心',
      region_code: org.region_code, capacity: 30, sign_up_opens_at: null, sign_up_closes_at: null,
      members_only: false, key_date: null, leader_ids: [], service_point_id: null,
    });
    await api('POST', `/activities/${act.id}/publish`, adminTok, {});
    await api('POST', `/activities/${act.id}/sign-ups`, vTok, {});
    const dir = process.env.ZHIHUI_E2E_MAILDIR;
    const links = () => {
      for (const sub of ['new', 'cur']) {
        let names = [];
        try { names = readdirSync(join(dir, sub)); } catch { continue; }
        for (const n of names) {
          const text = readFileSync(join(dir, sub, n), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
          const m = text.match(/\/attend\?token=(confirm\.[0-9a-f]+\.[0-9a-f]+)/);
          if (m) return m[1];
        }
      }
      return null;
    };
    let confirm = null;
    for (let i = 0; i < 60 && !(confirm = links()); i += 1) await new Promise((r) => setTimeout(r, 500));
    assert.ok(confirm, 'the day-before email with its confirm link');
    // Opened from the email on a phone, signed out: one tap confirms; a second is refused.
    const mailPage = await newPage({ width: 360, height: 780 });
    await mailPage.goto(`${BASE}/attend?token=${confirm}`);
    await settled(mailPage);
    await mailPage.locator('#link-outcome', { hasText: '已确认参加：社区急救知识讲座' }).waitFor();
    await shot(mailPage, '07l-attendance-confirmed-from-email');
    await mailPage.reload();
    await settled(mailPage);
    await mailPage.locator('.problem', { hasText: '该链接已使用过' }).waitFor();
    await mailPage.close();
  });

  await flow('every screen of each role is read, not only the photographed ones', async () => {
    // Each of the dashboard's routes, by the role that works there, read as the photographed
    // screens are (raw keys, English sentences, 360 px, axe-core), once it has loaded.
    const tabs = [...readFileSync(new URL('../../frontend/src/pages/orgs.rs', import.meta.url), 'utf8')
      .matchAll(/^\s*\("([a-z]+)", "org\.[a-z_]+"\),$/gm)].map((m) => m[1]);
    assert.ok(tabs.length >= 14, `${tabs.length} tabs`);
    const read = async (page, path) => {
      await page.goto(`${BASE}${path}`);
      await settled(page);
      await page.waitForFunction(() => !document.querySelector('p.loading, [aria-busy="true"]'));
      await checkScreen(page, path);
    };
    const anyone = await newPage();
    for (const path of ['/', '/activities', `/activities/${activityId}`, '/sign-in', '/register', '/sign-up', '/verify', '/nowhere']) {
      await read(anyone, path);
    }
    await anyone.close();
    const volunteerPage = await newPage();
    await signIn(volunteerPage, 'li.na@example.cn');
    for (const path of ['/me', '/check-in', '/orgs', '/inbox', '/inbox/settings']) await read(volunteerPage, path);
    await volunteerPage.close();
    const teamAdmin = await newPage();
    await signIn(teamAdmin, 'zhang.wei@example.cn');
    for (const path of ['/work', `/orgs/${county.id}`, ...tabs.map((t) => `/orgs/${county.id}/${t}`),
      `/activities/${activityId}/edit`, `/letters/${letterId}`, '/register-organization', '/needs', `/needs/${needId}`,
      '/hub', `/service-points/${pointId}`, `/exhibitions/${exhibitionId}`, '/inbox']) {
      await read(teamAdmin, path);
    }
    await teamAdmin.close();
    const platform = await newPage();
    await signIn(platform, 'admin@example.cn', 'admin-pass-1');
    for (const path of ['/work', '/platform', '/applications', `/orgs/${prov.id}/rollup`, '/needs', `/needs/${needId}`, '/hub', `/service-points/${pointId}`]) await read(platform, path);
    await platform.close();
  });

  await flow('English switch and sign-out', async () => {
    await volunteer.goto(`${BASE}/me`);
    await volunteer.getByRole('button', { name: 'English' }).click();
    await volunteer.getByRole('heading', { name: 'My volunteer service' }).waitFor();
    assert.equal(await volunteer.evaluate(() => document.documentElement.lang), 'en');
    await volunteer.getByRole('button', { name: 'Sign out' }).click();
    await volunteer.waitForURL(/\/sign-in$/);
    await volunteer.goto(`${BASE}/me`);
    await volunteer.getByRole('link', { name: 'Sign in' }).first().waitFor();
    const stored = await volunteer.evaluate(() => [sessionStorage.length, localStorage.getItem('zhihui.refresh')]);
    assert.deepEqual(stored, [0, null]);
  });

  assert.deepEqual(pageErrors, [], 'errors on the pages');
  console.log(`screens read: ${screensRead}; raw keys and English sentences: ${wordFindings.length}; wider than 360 px: ${wideFindings.length}; serious or critical axe-core violations: ${axeFindings.length}`);
  assert.deepEqual(axeFindings, [], 'serious or critical accessibility violations');
  assert.deepEqual(wordFindings, [], 'raw keys or English sentences in Chinese mode');
  assert.deepEqual(wideFindings, [], 'screens wider than a 360 px phone');
  console.log(`all ${passed.length} browser flows passed; screenshots in ${OUT}`);
} catch (e) {
  console.error(`browser flows failed after: ${passed.join('; ') || 'none'}`);
  console.error(e);
  if (pageErrors.length) console.error('page errors:', pageErrors);
  for (const p of context.pages()) {
    try { await p.screenshot({ path: join(OUT, `failed-${context.pages().indexOf(p)}.png`), fullPage: true }); } catch {}
  }
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
