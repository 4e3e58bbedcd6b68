# Kazakhstan–Iran executable edition: the only entry point. `make help` lists the targets.
# Everything runs inside .venv, created from the pinned requirements.txt on first use.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
PY := $(BIN)/python
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed
# cffconvert needs jsonschema<4, the book jsonschema 4: it gets its own small environment.
CFF_VENV := .venv-cff
CFF_STAMP := $(CFF_VENV)/.installed
# JupyterLab (make lab) gets its own environment too, so that .venv stays as locked.
LAB_VENV := .venv-lab
LAB_STAMP := $(LAB_VENV)/.installed
HTML := _build/html
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

# The languages to build (make book LANGUAGES=en: English only); empty: all of them
# (English, Kazakh, Russian; kziran/editions.py). English is always built.
LANGUAGES ?=
export LANGUAGES

# Reproducible, quiet, offline-friendly runs.
export PYTHONHASHSEED := 0
export JUPYTER_PLATFORM_DIRS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1
export MPLBACKEND := Agg

# A bad argument stops make before anything runs, in one line that names it.
squote = $(subst ','\'',$(1))
is_commit = $(shell git rev-parse --verify --quiet '$(call squote,$(1))^{commit}' >/dev/null 2>&1 && echo yes)
ifneq ($(strip $(BASE)),)
ifneq ($(call is_commit,$(BASE)),yes)
$(error BASE=$(BASE) is not a commit, tag or branch of this repository)
endif
endif
ifneq ($(strip $(CHANGES_SINCE)),)
ifneq ($(call is_commit,$(CHANGES_SINCE)),yes)
$(error CHANGES_SINCE=$(CHANGES_SINCE) is not a commit, tag or branch of this repository)
endif
endif
# LANGUAGES is checked against kziran/editions.py (once .venv exists).
ifneq ($(strip $(LANGUAGES)),)
languages_problem = $(if $(wildcard $(PY)),$(shell $(PY) -c 'import sys; from kziran.editions \
  import problem; print(problem(sys.argv[1]))' '$(call squote,$(LANGUAGES))' 2>&1))
ifneq ($(languages_problem),)
$(error $(languages_problem))
endif
endif
# LAB_ARGS and BENCH_ARGS are checked by their commands (once .venv exists).
args_problem = $(if $(wildcard $(PY)),$(shell $(PY) -m kziran.tooling.$(1) --check $(2) 2>&1 >/dev/null))
ifneq ($(strip $(LAB_ARGS)),)
ifneq ($(call args_problem,lab,$(LAB_ARGS)),)
$(error $(call args_problem,lab,$(LAB_ARGS)))
endif
endif
ifneq ($(strip $(BENCH_ARGS)),)
ifneq ($(call args_problem,bench,$(BENCH_ARGS)),)
$(error $(call args_problem,bench,$(BENCH_ARGS)))
endif
endif

.PHONY: translations help env data-check data-readme execute book diff test test-unit test-notebooks test-build \
        outputs lab lock bench clean lint cite-check zenodo pdf test-browser system-deps crate

help: ## List the targets
	@echo "Kazakhstan–Iran executable edition. Usage: make <target>"
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  %-15s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	@echo "Creating the pinned environment in $(VENV) (once; about a minute)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --python $(PY) --quiet --compile-bytecode -r requirements.txt
	$(BIN)/uv pip install --python $(PY) --quiet --no-deps -e .
	@touch $@

env: $(STAMP) ## Create the pinned environment in .venv (done automatically by other targets)

data-check: $(STAMP) ## Validate the data package against its schema (file, row and column on error)
	@$(PY) -m kziran check

data-readme: $(STAMP) ## Regenerate the coverage and sources tables of data/README.md
	@$(PY) -m kziran.tooling.datareadme

execute: $(STAMP) ## Validate the data, then execute stale notebooks in parallel into the build cache
	@$(PY) -m kziran execute

BOOK_ARGS := --builder html --warningiserror --nitpick --keep-going --quiet

book: $(STAMP) ## Validate, execute what is stale, build the HTML book in each language (LANGUAGES=en: English only; CHANGES_SINCE=<ref>: with a page of changes)
	@$(PY) -m kziran book $(BOOK_ARGS)
	@if [ -n "$(CHANGES_SINCE)" ]; then \
	  $(PY) -m kziran.tooling.diff --base "$(CHANGES_SINCE)" --page && \
	  $(PY) -m kziran book $(BOOK_ARGS) --toc _build/generated/toc-with-changes.yml; fi
	@echo "The book is in $(CURDIR)/$(HTML)/index.html"

translations: $(STAMP) ## Refresh the Kazakh and Russian catalogs (locales/) after an English edit; list what is new or fuzzy
	@$(PY) -m kziran.tooling.translations

crate: book ## Write the RO-Crate of the edition (_build/kziran-edition-<version>.crate.zip) and validate it offline
	@$(PY) -m kziran.tooling.crate
	@$(PY) -m kziran.tooling.crate --validate $(CURDIR)/_build/crate

diff: book ## Compare this edition with the one at BASE=<git ref>: report, _build/diff.json
	@test -n "$(BASE)" || { echo "usage: make diff BASE=<git ref>" >&2; exit 2; }
	@$(PY) -m kziran.tooling.diff --base "$(BASE)"

test: $(STAMP) $(CFF_STAMP) $(LAB_STAMP) ## Run every test with the network cut: lint, data, nbval, PDF, strict build, unit, page, browser
	@$(PY) -m kziran.tooling.offline -- $(MAKE) --no-print-directory -j$(TEST_JOBS) --output-sync=target test-steps

# The steps of `make test`. make runs them in parallel where their order allows; the
# critical path is the PDF, then the strict HTML build (which links the PDF), then the
# tests that read the build (marked `book`). nbval and the other tests run beside it, at a
# lower priority. kziran.tooling.offline runs every step inside a network namespace holding only
# loopback, where the machine permits it (tests/test_offline_build.py checks it).
TEST_JOBS := $(shell echo $$(( $(JOBS) + 2 )))
BESIDE := nice -n 10
.PHONY: test-steps _t-lint _t-check _t-nbval _t-execute _t-cite _t-pdf _t-build _t-early _t-late \
        _t-catalogs
test-steps: _t-late _t-early _t-lint _t-cite _t-catalogs
_t-late: _t-build _t-nbval
	$(PYTEST_UNIT) -m book
_t-lint:
	$(LINT)
_t-check:
	@$(PY) -m kziran check
_t-execute: _t-check
	@$(PY) -m kziran execute
_t-pdf: _t-execute
	@if $(PY) -c 'import sys; from kziran.tooling.pdf import missing_tools; sys.exit(bool(missing_tools()))'; \
	then $(PY) -m kziran.tooling.pdf; \
	else echo "No TeX or poppler-utils: the PDF edition is not built and its tests skip (make system-deps)"; fi
_t-build: _t-pdf
	$(STRICT_BUILD)
_t-nbval: _t-check
	$(BESIDE) $(NBVAL)
_t-catalogs: _t-execute
	$(BESIDE) $(PY) -m kziran.tooling.translations --check
_t-early: _t-execute
	$(BESIDE) $(PYTEST_UNIT) -m "not book"
_t-cite:
	$(CITE_CHECK)

LINT = $(BIN)/ruff check --quiet kziran tests && $(BIN)/nbqa ruff notebooks --quiet
NBVAL = $(PY) -m pytest --nbval notebooks --nbval-sanitize-with tests/nbval_sanitize.cfg \
  -n $(JOBS) --dist loadfile -q -p no:cacheprovider \
  --junitxml=_build/test-artifacts/nbval.xml -o junit_family=xunit2
STRICT_BUILD = $(PY) -m kziran book $(BOOK_ARGS) --all
PYTEST_UNIT = $(PY) -m pytest tests -n $(JOBS) -q --durations=8
CITE_CHECK = $(CFF_VENV)/bin/cffconvert --validate -i CITATION.cff \
  && $(CFF_VENV)/bin/cffconvert -i CITATION.cff -f zenodo | diff -u .zenodo.json - \
  && $(PY) -m kziran cite --check

lint: $(STAMP) ## Lint the package, the tests and the notebooks' code (ruff, nbQA)
	$(LINT)

test-notebooks: $(STAMP) ## Re-execute each committed notebook and compare its outputs (nbval, strict)
	$(NBVAL)

pdf: execute ## Build and check the PDF edition (needs TeX: make system-deps); make book links it
	@$(PY) -m kziran.tooling.pdf

test-browser: $(STAMP) ## Open every built page in headless Chromium, network blocked (screenshots)
	$(PY) -m pytest tests/test_browser.py -q -p no:cacheprovider

# Debian packages for the PDF edition (TeX with xelatex, latexmk and xindy; GNU FreeFont, a
# fallback font for Chinese; poppler-utils for its checks) and for the browser test.
DEBIAN_PACKAGES := latexmk texlive-latex-recommended texlive-latex-extra \
  texlive-fonts-recommended texlive-xetex xindy tex-gyre fonts-freefont-otf \
  fonts-wqy-microhei poppler-utils chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

system-deps: ## Install the Debian packages for the PDF and the browser test (apt; root or sudo)
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	  --no-install-recommends $(DEBIAN_PACKAGES)

test-build: $(STAMP) ## Build the whole book, every page re-read, warnings as errors, nitpicky
	$(STRICT_BUILD)

test-unit: $(STAMP) ## Unit, data and built-page tests (needs a built book)
	$(PYTEST_UNIT)

$(CFF_STAMP): requirements-cff.txt $(STAMP)
	$(PYTHON) -m venv $(CFF_VENV)
	$(BIN)/uv pip install --python $(CFF_VENV)/bin/python --quiet -r requirements-cff.txt
	@touch $@

cite-check: $(CFF_STAMP) ## Validate CITATION.cff (cffconvert) and what is derived from it
	$(CITE_CHECK)

zenodo: $(CFF_STAMP) ## Write .zenodo.json from CITATION.cff (cffconvert)
	$(CFF_VENV)/bin/cffconvert -i CITATION.cff -f zenodo -o .zenodo.json

outputs: data-check ## Re-execute every notebook and save its outputs into notebooks/ (to commit)
	@$(PY) -m kziran execute --write-back

# JupyterLab lives in its own environment; its Python 3 kernel is the book's .venv, so the
# notebooks run with the pinned packages and the book's package, and .venv stays as locked.
$(LAB_STAMP): requirements-lab.txt $(STAMP)
	@echo "Creating JupyterLab's environment in $(LAB_VENV) (once)"
	$(PYTHON) -m venv $(LAB_VENV)
	$(BIN)/uv pip install --python $(LAB_VENV)/bin/python --quiet -r requirements-lab.txt
	$(PY) -m ipykernel install --prefix $(LAB_VENV) --name python3 \
	  --display-name "Python 3 (the book's .venv)" > /dev/null 2>&1
	@touch $@

lab: $(LAB_STAMP) ## Open the notebooks in JupyterLab (own environment; prints the address)
	@$(PY) -m kziran.tooling.lab $(LAB_ARGS)

lock: $(STAMP) ## Re-resolve requirements.in into requirements.txt and environment.yml
	@# The current pins are uv's preferences: a new requirement does not move the others.
	grep -v '^#' requirements.txt > requirements.txt.new
	$(BIN)/uv pip compile --python-version 3.11 --no-header --annotation-style line \
	  requirements.in -o requirements.txt.new
	{ echo "# Full pinned environment of the book (generated from requirements.in by 'make lock'; do not edit)."; \
	  sed 's/ *#.*//' requirements.txt.new; } > requirements.txt && rm requirements.txt.new
	$(PY) -m kziran.tooling.envfile
	{ echo "# JupyterLab for make lab (.venv-lab), from requirements-lab.in by 'make lock'; do not edit."; \
	  $(BIN)/uv pip compile --python-version 3.11 --no-header --annotation-style line \
	    requirements-lab.in -c requirements.txt | sed 's/ *#.*//'; } > requirements-lab.txt

bench: $(STAMP) ## Time set-up, clean build, no-change and one-notebook rebuilds, make test (ratios)
	$(PY) -m kziran.tooling.bench $(BENCH_ARGS)

clean: ## Remove the build output and caches (keeps .venv)
	rm -rf _build
