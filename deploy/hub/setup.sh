#!/usr/bin/env bash
# The course on a one-machine JupyterHub (the shape of The Littlest JupyterHub). Root, idempotent:
# run it again after `git pull` or to add students. `make hub` runs it from the repository root.
#
#   PREFIX      /opt/math-genai          venv/ (hub + single-user environment), proxy/, etc/, state/
#   EXCHANGE    /srv/nbgrader/exchange   nbgrader's shared exchange (mode ugo+rw, as nbgrader prescribes)
#   INSTRUCTOR  instructor               the account that owns the course (~/math-genai) and formgrader
#   STUDENTS    "student1 student2"      one account each
#   HUB_PYTHON  python3                  3.11+ (what requirements.txt pins need); copied under PREFIX
#                                        when the accounts cannot run it where it is (e.g. pyenv in /root)
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$REPO/deploy/hub"
PREFIX=${PREFIX:-/opt/math-genai}
EXCHANGE=${EXCHANGE:-/srv/nbgrader/exchange}
INSTRUCTOR=${INSTRUCTOR:-instructor}
STUDENTS=${STUDENTS:-student1 student2}
HUB_PYTHON=${HUB_PYTHON:-python3}
GRADERS_GROUP=math-genai-graders
COURSE_ID=math-genai
VENV="$PREFIX/venv"

say() { echo "hub: $*"; }
[ "$(id -u)" = 0 ] || { echo "hub: run as root (sudo make hub)" >&2; exit 1; }
"$HUB_PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null \
  || { echo "hub: $HUB_PYTHON is not Python 3.11+ (set HUB_PYTHON=...)" >&2; exit 1; }

# --- system packages: bubblewrap (the grading sandbox), npm (for the proxy) -------------------------
missing=()
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
command -v patchelf >/dev/null 2>&1 || missing+=(patchelf)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- accounts: one each, private homes -------------------------------------------------------------
getent group "$GRADERS_GROUP" >/dev/null || groupadd --system "$GRADERS_GROUP"
for user in "$INSTRUCTOR" $STUDENTS; do
  if ! id "$user" >/dev/null 2>&1; then
    say "creating account $user"
    useradd --create-home --shell /bin/bash "$user"
  fi
  chmod 0700 "$(getent passwd "$user" | cut -d: -f6)"   # Debian's default home is world-readable
done
usermod -a -G "$GRADERS_GROUP" "$INSTRUCTOR"

# --- the interpreter: every account runs it, so it must live where they can read it -----------------
mkdir -p "$PREFIX"
chmod 0755 "$PREFIX"
python=$("$HUB_PYTHON" -c 'import os, sys; print(os.path.realpath(sys.executable))')
if ! runuser -u nobody -- "$python" -c '' 2>/dev/null; then
  base=$("$python" -c 'import sys; print(sys.base_prefix)')
  version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  if [ "$(cat "$PREFIX/python/.copied-from" 2>/dev/null)" != "$python $("$python" -V)" ]; then
    say "copying the interpreter $python (not readable by the accounts) into $PREFIX/python"
    rm -rf "$PREFIX/python" "$VENV"
    mkdir -p "$PREFIX/python/bin" "$PREFIX/python/lib"
    cp "$python" "$PREFIX/python/bin/python$version"
    ln -s "python$version" "$PREFIX/python/bin/python3"
    cp -a "$base"/lib/libpython* "$PREFIX/python/lib/"
    tar -C "$base/lib" --exclude="python$version/site-packages/*" --exclude="python$version/test" \
        -cf - "python$version" | tar -C "$PREFIX/python/lib" -xf -
    # Its libpython is found beside it, not at the original (unreadable) path.
    patchelf --set-rpath '$ORIGIN/../lib' "$PREFIX/python/bin/python$version"
    chmod -R a+rX "$PREFIX/python"
    echo "$python $("$python" -V)" > "$PREFIX/python/.copied-from"
  fi
  python="$PREFIX/python/bin/python3"
fi

# --- the environment: JupyterHub, JupyterLab, nbgrader and the course, from requirements.txt --------
wanted=$(sha256sum "$REPO/requirements.txt" | cut -d' ' -f1)
if [ "$(cat "$VENV/.requirements" 2>/dev/null)" != "$wanted" ]; then
  say "building $VENV from requirements.txt"
  rm -rf "$VENV"
  "$python" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r "$REPO/requirements.txt"
  echo "$wanted" > "$VENV/.requirements"
fi
# The course package (not editable: the checkout may live where students cannot read, and
# solutions/ must never be importable). graders/ holds the hidden checks: instructor only.
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
"$VENV/bin/python" -m pip wheel --quiet --disable-pip-version-check --no-deps --wheel-dir "$build" "$REPO"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall "$build"/*.whl
site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
chgrp -R "$GRADERS_GROUP" "$site/graders"
chmod -R o-rwx "$site/graders"

# Students get no formgrader, course list or "Create assignment"; the instructor re-enables them
# for their own account below (user-level settings win over the environment's).
INSTRUCTOR_ONLY_SERVER="nbgrader.server_extensions.formgrader nbgrader.server_extensions.course_list"
INSTRUCTOR_ONLY_LAB="@jupyter/nbgrader:formgrader @jupyter/nbgrader:create-assignment @jupyter/nbgrader:course-list"
for ext in $INSTRUCTOR_ONLY_SERVER; do "$VENV/bin/jupyter" server extension disable --sys-prefix "$ext" >/dev/null 2>&1; done
for ext in $INSTRUCTOR_ONLY_LAB; do   # disabled, not locked: the instructor's own settings enable them
  "$VENV/bin/jupyter" labextension disable --level=sys_prefix "$ext" >/dev/null 2>&1
  "$VENV/bin/jupyter" labextension unlock --level=sys_prefix "$ext" >/dev/null 2>&1
done

# --- the proxy: configurable-http-proxy from npm, pinned by deploy/hub/proxy/package-lock.json -------
if ! cmp -s "$HERE/proxy/package-lock.json" "$PREFIX/proxy/package-lock.json" \
   || [ ! -x "$PREFIX/proxy/node_modules/.bin/configurable-http-proxy" ]; then
  say "installing configurable-http-proxy into $PREFIX/proxy"
  mkdir -p "$PREFIX/proxy"
  cp "$HERE/proxy/package.json" "$HERE/proxy/package-lock.json" "$PREFIX/proxy/"
  npm ci --prefix "$PREFIX/proxy" --omit=dev --no-audit --no-fund --loglevel=error >/dev/null
fi

# --- nbgrader's exchange ----------------------------------------------------------------------------
mkdir -p "$EXCHANGE"
chmod ugo+rw "$EXCHANGE"

# --- the instructor's course: ~/math-genai with the course's nbgrader_config.py -----------------------
home=$(getent passwd "$INSTRUCTOR" | cut -d: -f6)
course="$home/math-genai"
mkdir -p "$course" "$home/.jupyter"
cp -r "$REPO/source" "$course/"                         # updated from the repository on every run
cp "$REPO/nbgrader_config.py" "$course/course_config.py"
sed -e "s|@EXCHANGE@|$EXCHANGE|" "$HERE/instructor_nbgrader_config.py" > "$course/nbgrader_config.py"
printf 'c = get_config()  # noqa: F821\nload_subconfig(%s)  # noqa: F821\n' "'$course/nbgrader_config.py'" \
  > "$home/.jupyter/nbgrader_config.py"
chown -R "$INSTRUCTOR:$INSTRUCTOR" "$course" "$home/.jupyter"
# The instructor's own settings: what `jupyter server extension enable --user` and
# `jupyter labextension enable --level=user` write.
"$VENV/bin/python" - "$home/.jupyter" "$INSTRUCTOR_ONLY_SERVER" "$INSTRUCTOR_ONLY_LAB" <<'PY'
import json, os, sys
folder, server, lab = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
os.makedirs(os.path.join(folder, "labconfig"), exist_ok=True)
settings = {"jupyter_server_config.json": {"ServerApp": {"jpserver_extensions": dict.fromkeys(server, True)}},
            "labconfig/page_config.json": {"disabledExtensions": dict.fromkeys(lab, False)}}
for name, value in settings.items():
    with open(os.path.join(folder, name), "w", encoding="utf-8") as out:
        json.dump(value, out, indent=2)
PY
chown -R "$INSTRUCTOR:$INSTRUCTOR" "$home/.jupyter"

# --- students: course id and exchange ----------------------------------------------------------------
for user in $STUDENTS; do
  home=$(getent passwd "$user" | cut -d: -f6)
  mkdir -p "$home/.jupyter"
  sed -e "s|@COURSE_ID@|$COURSE_ID|" -e "s|@EXCHANGE@|$EXCHANGE|" "$HERE/student_nbgrader_config.py" \
    > "$home/.jupyter/nbgrader_config.py"
  chown -R "$user:$user" "$home/.jupyter"
done

# --- the hub: configuration and private state --------------------------------------------------------
mkdir -p "$PREFIX/etc" "$PREFIX/state"
chmod 0700 "$PREFIX/state"
cp "$HERE/jupyterhub_config.py" "$PREFIX/etc/jupyterhub_config.py"
"$VENV/bin/python" - "$PREFIX/etc/hub.json" <<EOF
import json, sys
json.dump({"prefix": "$PREFIX", "exchange": "$EXCHANGE", "instructor": "$INSTRUCTOR",
           "students": "$STUDENTS".split(), "graders_group": "$GRADERS_GROUP"},
          open(sys.argv[1], "w"), indent=2)
EOF
say "ready: $VENV/bin/jupyterhub -f $PREFIX/etc/jupyterhub_config.py (as root)"
