#!/usr/bin/env bash
# Makes sure the test services run: PostgreSQL on 127.0.0.1:5432 and Redis on 6379.
# On the project's machines both are installed; when stopped, they are started here.
# Anything still missing fails the run loudly under CI=true (the tests say which one).
set -u

wait_for() {  # wait_for NAME COMMAND...: retry for at most 20 seconds
  local name=$1; shift
  for _ in $(seq 1 40); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "services: $name did not come up within 20 s" >&2
  return 1
}

if command -v pg_isready >/dev/null && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  if command -v pg_ctlcluster >/dev/null; then
    echo "services: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    wait_for PostgreSQL pg_isready -h 127.0.0.1 -p 5432 -q
  fi
fi

if command -v redis-cli >/dev/null && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if command -v redis-server >/dev/null; then
    echo "services: starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
    wait_for Redis redis-cli -h 127.0.0.1 -p 6379 ping
  fi
fi
exit 0
