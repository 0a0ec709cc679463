// What the browser scripts share: the service's address, its API and test data.
export const BASE = process.env.ZHIHUI_E2E_URL;
export const API = `${BASE}/api/v1`;
export const PASSWORD = 'secret-pass-1';

export async function api(method, path, token, body) {
  const res = await fetch(`${API}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A resident ID number with its GB 11643 check character. */
export function idNumber(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * w[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

/** China time as an `<input type=datetime-local>` value, `minutes` from now, whole minutes. */
export function localInput(minutes) {
  const t = new Date(Math.ceil((Date.now() + minutes * 60_000) / 60_000) * 60_000 + 8 * 3600_000);
  return t.toISOString().slice(0, 16);
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
