# Set-up and the two commands of the README. Everything installs into .venv from the pinned constraints.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The CPU build of torch: found locally on machines that carry the wheel; elsewhere set
# TORCH_INDEX=https://download.pytorch.org/whl/cpu to avoid the multi-GB CUDA build.
TORCH_INDEX ?=
TORCH_PIN := torch==2.13.0
PIP_INSTALL := $(BIN)/python -m pip install -q -c constraints.txt

.PHONY: figures test lint install clean-venv retrain

$(VENV)/.installed-%: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) $(TORCH_PIN) $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX) --extra-index-url https://pypi.org/simple)
	$(PIP_INSTALL) -e ".[$*]"
	touch $@

install: $(VENV)/.installed-pipeline,test

## Rebuild every figure with DVC (profile from params.yaml, default quick), then judge every rebuilt output against
## the committed one (git HEAD): identical, equivalent within the figure's declared tolerance, or different (exit 1).
## DVC_ARGS="" rebuilds only what changed instead of everything; DVC_ARGS="--force <stage> ..." rebuilds some stages.
DVC_ARGS ?= --force
# The authors' published files: from their repositories, or offline from a mirror folder (../shared/authors if present).
AUTHORS_MIRROR := $(firstword $(PAPERREPRO_MIRROR) $(wildcard $(abspath ../shared/authors)))
figures: export PAPERREPRO_MIRROR = $(AUTHORS_MIRROR)
figures: $(VENV)/.installed-pipeline
	DVC_NO_ANALYTICS=1 PATH="$(abspath $(BIN)):$$PATH" $(BIN)/dvc repro $(DVC_ARGS)
	$(BIN)/python -m paperrepro status
	$(BIN)/python -m paperrepro compare

## Run the test suite (pytest exit code 5, "no tests collected", counts as success).
test: $(VENV)/.installed-test
	rc=0; DVC_NO_ANALYTICS=1 $(BIN)/python -m pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; rc=0; fi; exit $$rc

## Static checks of the code: ruff's lint rules and formatting, then mypy's type check of the packages that
## [tool.mypy] in pyproject.toml lists (all configured there).
lint: $(VENV)/.installed-test
	$(BIN)/ruff check paperrepro tests benchmarks
	$(BIN)/ruff format --check paperrepro tests benchmarks
	$(BIN)/mypy

clean-venv:
	rm -rf $(VENV)

## Retrain the networks of one paper (PAPER=maturation|accuracy|learning_to_learn|memory_factors) or of all
## (PAPER=all): runs the commands of its frozen DVC stage train-<paper>, which rewrite paperrepro/<paper>/pinned/,
## and records the new files in dvc.lock; `make figures` then rebuilds the figures from them. Costs: README.
PAPER ?=
retrain: export PAPERREPRO_MIRROR = $(AUTHORS_MIRROR)
retrain: $(VENV)/.installed-pipeline
	@test -n "$(PAPER)" || { echo "make retrain: set PAPER=<paper> or PAPER=all"; exit 2; }
	DVC_NO_ANALYTICS=1 PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m paperrepro retrain $(PAPER)
