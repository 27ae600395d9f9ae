#!/usr/bin/env bash
# `npm test`: every check, in the order that fails fastest. Installs what npm cannot (Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "npm test: installing Chromium for the end-to-end tests (apt-get install chromium)"
    if ! { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/tmp/apt-chromium.log 2>&1 ||
           { apt-get update -qq >>/tmp/apt-chromium.log 2>&1 &&
             DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >>/tmp/apt-chromium.log 2>&1; }; }; then
      echo "npm test: could not install Chromium with apt-get (log: /tmp/apt-chromium.log)" >&2
      exit 1
    fi
  else
    echo "npm test: Chromium is missing at $chromium: run 'sudo apt-get install chromium' (or set CHROMIUM_PATH) and try again" >&2
    exit 1
  fi
fi

# The log streaming tests deliver to a real rsyslogd (Debian's package).
if [ ! -x /usr/sbin/rsyslogd ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "npm test: installing rsyslog for the log streaming tests (apt-get install rsyslog)"
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rsyslog >/tmp/apt-rsyslog.log 2>&1 ||
      { apt-get update -qq >>/tmp/apt-rsyslog.log 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rsyslog >>/tmp/apt-rsyslog.log 2>&1; }; } ||
      { echo "npm test: could not install rsyslog with apt-get (log: /tmp/apt-rsyslog.log)" >&2; exit 1; }
  else
    echo "npm test: rsyslogd is missing at /usr/sbin/rsyslogd: run 'sudo apt-get install rsyslog' and try again" >&2
    exit 1
  fi
fi

# The benchmark's quick run compares against psql \copy.
if ! command -v psql >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "npm test: installing the PostgreSQL client for the benchmark check (apt-get install postgresql-client)"
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/tmp/apt-psql.log 2>&1 ||
      { apt-get update -qq >>/tmp/apt-psql.log 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >>/tmp/apt-psql.log 2>&1; }; } ||
      { echo "npm test: could not install postgresql-client with apt-get (log: /tmp/apt-psql.log)" >&2; exit 1; }
  else
    echo "npm test: psql is missing: run 'sudo apt-get install postgresql-client' and try again" >&2
    exit 1
  fi
fi

export NEXT_TELEMETRY_DISABLED=1
echo "== typecheck"; npx tsc --noEmit
echo "== lint"; npx eslint . --max-warnings=0
echo "== format"; npx prettier --check .
# Built before the tests: the benchmark's quick run (an integration test) and the e2e servers serve it.
echo "== build"; npx next build >/tmp/next-build.log 2>&1 || { cat /tmp/next-build.log; exit 1; }
echo "== unit and integration (Vitest, real PostgreSQL)"; npx vitest run
echo "== end-to-end (Playwright, Chromium)"
E2E_DATA_DIR="$(mktemp -d /tmp/activity-log-e2e-XXXXXX)"; chmod 755 "$E2E_DATA_DIR"; export E2E_DATA_DIR
trap 'rm -rf "$E2E_DATA_DIR"' EXIT
npx playwright test
