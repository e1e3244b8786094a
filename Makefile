# painting_dreams: `make run` installs everything and runs the main job; `make test` runs the tests.
VENV ?= .venv
export KEDRO_DISABLE_TELEMETRY := 1
export TF_CPP_MIN_LOG_LEVEL := 2
KEDRO := $(VENV)/bin/kedro
PYTHON := $(VENV)/bin/python

.PHONY: install run test benchmarks viz

$(VENV)/.installed: pyproject.toml requirements.txt scripts/install.sh
	VENV=$(VENV) scripts/install.sh

# `make install GPU=1`: the CUDA build of TensorFlow instead of the CPU one (kept by later installs; GPU=0 undoes it)
ifeq ($(GPU),)
install: $(VENV)/.installed
else
install:
	VENV=$(VENV) GPU=$(GPU) scripts/install.sh
endif

SHIPPED := data/quick/08_reporting/shipped
PAINTING_DREAMS := $(VENV)/bin/painting-dreams

run: install  ## the main job on the bundled defaults (quick configuration), then the shipped painters on bundled images
	$(KEDRO) run --env quick
	$(PAINTING_DREAMS) evaluate --shipped --agent mnist_8 --images data/01_raw/mnist/t10k-images-idx3-ubyte.gz \
		--limit 16 --refine 25 --out $(SHIPPED)/mnist_8
	$(PAINTING_DREAMS) evaluate --shipped --agent kmnist_15 --images samples/kmnist/kmnist-test-imgs-first100.npz \
		--limit 16 --refine 25 --out $(SHIPPED)/kmnist_15
	@echo "Pictures made (the shipped painters' grids under shipped/ first, then the quick chain's):"
	@find data/quick/08_reporting -name '*.png' -o -name '*.gif' | sort | sed 's/^/  /'

test: install  ## the whole test suite
	$(PYTHON) -m pytest

benchmarks: install  ## print the speed figures quoted in the README
	$(PYTHON) benchmarks/env_speed.py
	$(PYTHON) benchmarks/episodes_speed.py
	$(PYTHON) benchmarks/world_model_speed.py
	$(PYTHON) benchmarks/agent_speed.py
	$(PYTHON) benchmarks/step_breakdown.py --run celeba_15
	$(PYTHON) benchmarks/paint_strokes.py --strokes 8 50 500
	$(PYTHON) benchmarks/paint_tiled.py --grids 1 2 4
	@echo "time to quality (needs the full data_prep and stroke_model outputs; 2 x 20 CPU minutes):"
	@echo "  $(PYTHON) benchmarks/time_to_quality.py --run celeba_15   (and --run kmnist_15)"
	@echo "render scaling (needs the CelebA dev copy under data/01_raw/celeba): $(PYTHON) benchmarks/render_scaling.py --images 100"

viz: install  ## static kedro-viz site in build/, checked in headless Chromium (apt: chromium)
	$(PYTHON) scripts/check_viz.py --build
	@echo "Lineage: python -m http.server -d build 4141, then open http://127.0.0.1:4141/"
