// Loads the WebAssembly app. A file of its own (not an inline script), so the content
// security policy can forbid inline scripts. The build names every file by its content.
//
// There are two builds of the app: the volunteers' (activities, sign-up and check-in, one's
// own page), small for phones, and the staff build with every screen. The staff screens'
// paths load the staff build; the volunteers' build loads the page again when it is asked
// for a staff screen.
// Path patterns, segment by segment from the start (`*`: any one segment).
const STAFF = ['orgs', 'applications', 'letters', 'platform', 'register-organization', 'work', 'needs', 'hub', 'service-points', 'exhibitions', 'campaigns', 'activities/*/edit', 'inbox/settings', 'sign-up', 'unsubscribe'];
const parts = location.pathname.split('/').slice(1);
const staff = STAFF.some((p) => p.split('/').every((s, i) => (s === '*' ? !!parts[i] : s === parts[i])));
const [glue, wasm] = staff
  ? ['./staff.js', '/staff_bg.wasm']
  : ['./app.js', '/app_bg.wasm'];
function failed() {
  const text = document.getElementById('boot-text');
  if (text) text.textContent = '加载失败，请检查网络后刷新。Could not load; check the network and reload.';
  document.querySelector('#boot .spinner')?.remove();
}
// The module is fetched at once, beside its glue code, not after it.
const module = fetch(wasm);
module.catch(() => {});
import(glue).then((app) => app.default({ module_or_path: module })).catch(failed);
