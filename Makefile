# painting_dreams: `make run` installs everything and runs the main job; `make test` runs the tests.
VENV ?= .venv
export KEDRO_DISABLE_TELEMETRY := 1
export TF_CPP_MIN_LOG_LEVEL := 2
KEDRO := $(VENV)/bin/kedro
PYTHON := $(VENV)/bin/python

.PHONY: install run test benchmarks viz

$(VENV)/.installed: pyproject.toml requirements.txt scripts/install.sh
	VENV=$(VENV) scripts/install.sh

install: $(VENV)/.installed

run: install  ## the main job on the bundled defaults (quick configuration)
	$(KEDRO) run --env quick
	@echo "Pictures made (open the grid and GIF under evaluation/ first):"
	@find data/quick/08_reporting -name '*.png' -o -name '*.gif' | sort | sed 's/^/  /'

test: install  ## the whole test suite
	$(PYTHON) -m pytest

benchmarks: install  ## print the speed figures quoted in the README
	$(PYTHON) benchmarks/env_speed.py
	$(PYTHON) benchmarks/episodes_speed.py
	$(PYTHON) benchmarks/world_model_speed.py
	$(PYTHON) benchmarks/agent_speed.py
	$(PYTHON) benchmarks/step_breakdown.py --run celeba_15
	@echo "time to quality (needs the full data_prep and stroke_model outputs; 2 x 20 CPU minutes):"
	@echo "  $(PYTHON) benchmarks/time_to_quality.py --run celeba_15   (and --run kmnist_15)"

viz: install  ## static kedro-viz site in build/, checked in headless Chromium (apt: chromium)
	$(PYTHON) scripts/check_viz.py --build
	@echo "Lineage: python -m http.server -d build 4141, then open http://127.0.0.1:4141/"
