# Everything a fresh machine needs, from Python 3.11 and make alone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export BUURTHULP_ENV ?= development
export FLASK_APP := wsgi

.PHONY: run test install translations db demo lint security bench clean

run: install db demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: install node_modules/.installed
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

install: $(INSTALLED) translations

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

translations: $(INSTALLED)
	$(BIN)/pybabel compile --use-fuzzy -d translations -f >/dev/null

# After changing user-visible text: extract every msgid (N_ marks Dutch text in modules without
# Flask), merge it into the English catalog, then translate the new entries in messages.po.
.PHONY: messages
messages: $(INSTALLED)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 -k N_ \
		-o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -l en --no-fuzzy-matching

# axe-core for the accessibility tests; skipped quietly where npm is missing.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --silent --no-audit --no-fund && touch $@; \
	else echo "npm not found: accessibility tests will be skipped"; fi

db: install
	$(BIN)/flask db upgrade

demo: db
	$(BIN)/flask demo-data

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# bandit on our code and pip-audit on the installed environment; any finding fails
# (docs/security.md: the reviewed exceptions and how to add one).
security: install
	$(BIN)/bandit -c pyproject.toml -r . -q
	$(BIN)/python .ci/dependency_audit.py

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache
