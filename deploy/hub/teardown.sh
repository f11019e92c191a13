#!/usr/bin/env bash
# Remove what deploy/hub/setup.sh made: the accounts (homes included: the instructor's course and
# gradebook go with them), the exchange, the environment and the hub's state. Stop the hub first.
# `make hub-teardown` runs it; the same PREFIX/EXCHANGE as setup.sh, accounts read from hub.json.
set -euo pipefail

PREFIX=${PREFIX:-/opt/math-genai}
EXCHANGE=${EXCHANGE:-/srv/nbgrader/exchange}
[ "$(id -u)" = 0 ] || { echo "hub: run as root (sudo make hub-teardown)" >&2; exit 1; }
settings="$PREFIX/etc/hub.json"
if [ -f "$settings" ]; then
  read -r -a accounts <<<"$(python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))
print(" ".join([s["instructor"], *s["students"]]))' "$settings")"
  group=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["graders_group"])' "$settings")
  for user in "${accounts[@]}"; do
    if id "$user" >/dev/null 2>&1; then
      echo "hub: removing account $user"
      userdel --remove "$user" 2>/dev/null || userdel --remove --force "$user"
    fi
  done
  getent group "$group" >/dev/null && groupdel "$group"
fi
rm -rf "$EXCHANGE" "$PREFIX"
rmdir "$(dirname "$EXCHANGE")" 2>/dev/null || true
echo "hub: removed"
