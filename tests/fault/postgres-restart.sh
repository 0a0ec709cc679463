#!/usr/bin/env bash
# Fault test: PostgreSQL stops in the middle of a load and comes back. The service must
# answer 503 problem documents while it is away (no hangs, no 500s, no crash) and recover by
# itself when it returns. Then PostgreSQL restarts once more while the service is idle: no
# request afterwards may fail. Needs a local PostgreSQL cluster this script may stop and start
# (pg_ctlcluster), so it is not part of the test command; run it on a machine of your own:
#
#   tests/fault/postgres-restart.sh
#
# Prints the status counts per phase and exits non-zero on any violation.
set -euo pipefail
cd "$(dirname "$0")/../.."
admin_url=${ZHIHUI_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
cluster=$(ls /etc/postgresql | head -1)
db=zhihui_fault_$$
base=${admin_url%/*}
url="$base/$db"
cargo build -q --release -p zhihui-server
psql "$admin_url" -qc "CREATE DATABASE $db"
env_common=(ZHIHUI_DATABASE_URL="$url" ZHIHUI_LOG_LEVEL=warn ZHIHUI_ARGON2_MEMORY_KIB=1024 ZHIHUI_ARGON2_ITERATIONS=1)
env "${env_common[@]}" target/release/zhihui seed --scale small >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(exec env "${env_common[@]}" ZHIHUI_BIND="127.0.0.1:$port" ZHIHUI_RATE_LIMIT_PER_MINUTE=100000000 \
  target/release/zhihui serve) &
server=$!
cleanup() {
  pg_ctlcluster --skip-systemctl-redirect "$cluster" main start 2>/dev/null || true
  kill "$server" 2>/dev/null || true
  for _ in $(seq 30); do pg_isready -h 127.0.0.1 -q && break; sleep 1; done
  psql "$admin_url" -qc "DROP DATABASE IF EXISTS $db" || true
}
trap cleanup EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done

python3 - "http://127.0.0.1:$port" "$cluster" <<'PY'
import collections, json, subprocess, sys, threading, time, urllib.request, urllib.error

base, cluster = sys.argv[1], sys.argv[2]
paths = ["/readyz", "/api/v1/activities?limit=20", "/api/v1/regions?parent=130000"]
phase = "before"
tally = collections.defaultdict(collections.Counter)
slowest = collections.defaultdict(float)
problems = []
stop = False

def worker():
    i = 0
    while not stop:
        path = paths[i % len(paths)]; i += 1
        p = phase
        t = time.monotonic()
        try:
            with urllib.request.urlopen(base + path, timeout=20) as r:
                code = r.status
        except urllib.error.HTTPError as e:
            code = e.code
            if code == 503 and not e.headers.get("content-type", "").startswith("application/problem+json"):
                problems.append(f"503 without a problem document on {path}")
        except Exception as e:  # a hang or a dropped connection
            code = type(e).__name__
        tally[p][code] += 1
        slowest[p] = max(slowest[p], time.monotonic() - t)

threads = [threading.Thread(target=worker) for _ in range(8)]
for t in threads: t.start()
time.sleep(5)
phase = "outage"
subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "stop", "-m", "fast"], check=True)
time.sleep(10)
phase = "recovery"
subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "start"], check=True)
deadline = time.monotonic() + 30
recovered = None
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(base + "/readyz", timeout=5) as r:
            if r.status == 200:
                recovered = time.monotonic() - (deadline - 30)
                break
    except Exception:
        pass
    time.sleep(0.2)
phase = "after"
time.sleep(5)
stop = True
for t in threads: t.join()

# A restart while the service is idle: its pooled connections are all closed by then, and
# the first requests afterwards must not be the ones to find out.
time.sleep(2)
subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"], check=True)
for _ in range(40):
    path = paths[len(tally["idle restart"]) % len(paths)]
    try:
        with urllib.request.urlopen(base + path, timeout=20) as r:
            code = r.status
    except urllib.error.HTTPError as e:
        code = e.code
    except Exception as e:
        code = type(e).__name__
    tally["idle restart"][code] += 1

for p in ["before", "outage", "recovery", "after"]:
    print(f"{p:<9} {dict(tally[p])}  slowest {slowest[p]:.2f} s")
print(f"idle restart, the next 40 requests one by one: {dict(tally['idle restart'])}")
print(f"ready again {recovered:.1f} s after PostgreSQL started" if recovered is not None else "never ready again")
bad = []
for p, counts in tally.items():
    for code in counts:
        if code not in (200, 503):
            bad.append(f"{p}: {code} x{counts[code]}")
if any(c != 200 for p in ("before", "after", "idle restart") for c in tally[p]):
    bad.append("errors outside the outage")
if max(slowest.values()) > 15:
    bad.append("a request took longer than 15 s")
if recovered is None:
    bad.append("no recovery")
for b in bad + problems[:5]:
    print("FAIL:", b)
sys.exit(1 if bad or problems else 0)
PY
