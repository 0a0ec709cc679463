#!/usr/bin/env python3
"""Times a 10,000-row volunteer import against a running service.

    python3 scripts/import-benchmark.py http://127.0.0.1:8080 [rows]

Registers a user and a province association, approves it as a platform admin (create
one first: ZHIHUI_ADMIN_PASSWORD=admin-pass-1 zhihui admin create --login bench-admin@zhihui.test),
writes a CSV of valid rows, uploads it, and prints the time the upload took.
"""
import json, sys, time, urllib.request, uuid

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
C = "10X98765432"

def idn(n):
    first = f"440513{1960 + n % 40}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    first = f"44{(n // 1000) % 10000:04d}"[0:6] + first[6:]
    return first + C[sum(int(d) * w for d, w in zip(first, W)) % 11]

def call(base, method, path, body=None, token=None, ctype="application/json", raw=None):
    req = urllib.request.Request(base + path, method=method, data=raw if raw is not None else (json.dumps(body).encode() if body is not None else None))
    req.add_header("content-type", ctype)
    if token:
        req.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")

base = sys.argv[1] + "/api/v1"
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
login = f"bench-{uuid.uuid4().hex[:8]}@zhihui.test"
call(base, "POST", "/accounts", {"login": login, "password": "bench-pass-1", "display_name": "bench"})
tok = call(base, "POST", "/auth/login", {"login": login, "password": "bench-pass-1"})["access_token"]
adm = call(base, "POST", "/auth/login", {"login": "bench-admin@zhihui.test", "password": "admin-pass-1"})["access_token"]
org = call(base, "POST", "/organizations", {"name": "基准测试科协" + login[6:14], "category": "provincial_association", "level": "province", "region_code": "440000", "contact_name": "王芳", "contact_phone": "13800138000"}, tok)["id"]
call(base, "POST", f"/organizations/{org}/approve", {}, adm)
seen, lines = set(), ["姓名,身份证号,手机号,居住地区代码,服务类别"]
n = 0
while len(lines) <= rows:
    i = idn(n); n += 1
    if i in seen:
        continue
    seen.add(i)
    lines.append(f"张伟,{i},138{n % 100000000:08d},440513,科普服务")
csv = ("\n".join(lines) + "\n").encode()
boundary = uuid.uuid4().hex
body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.csv\"\r\nContent-Type: text/csv\r\n\r\n").encode() + csv + f"\r\n--{boundary}--\r\n".encode()
t = time.monotonic()
r = call(base, "POST", f"/organizations/{org}/volunteer-imports", token=tok, ctype=f"multipart/form-data; boundary={boundary}", raw=body)
dt = time.monotonic() - t
print(f"rows={r['total_rows']} created={r['created']} failed={r['failed']} seconds={dt:.2f}")
