"""painting_dreams: an agent that learns to paint in a learned world model of MyPaint, then paints in MyPaint.

The house, from the bottom up (each package imports only from those above it in this list):

* :mod:`~painting_dreams.paint`: the real program, MyPaint's brush engine as a gymnasium env;
  :mod:`painting_dreams.paint.replay` is the one door through which everything else paints in it.
* :mod:`~painting_dreams.targets`: the images to paint (MNIST, KMNIST, CelebA, anyone's picture) as 64x64 targets.
* :mod:`~painting_dreams.episodes`: random-action episodes of the env, stored in chunks, and their split.
* :mod:`~painting_dreams.world_model`: the models of the program (VAE + MDN-RNN, the stroke model),
  their compositors and training.
* :mod:`~painting_dreams.agent`: the agent runs, the dream painter, the policy, its training and inference.
* :mod:`~painting_dreams.refine`, :mod:`~painting_dreams.closed_loop`: painting better than the
  agent alone, with real MyPaint in the loop.
* :mod:`~painting_dreams.evaluation`: every measurement against real MyPaint.
* :mod:`~painting_dreams.export`, :mod:`~painting_dreams.shipped`: people's pictures painted and
  written as files; the trained painters that ship.
* :mod:`~painting_dreams.datasets`, :mod:`~painting_dreams.pipelines`: Kedro's datasets and the
  thin pipelines over all of the above; :mod:`~painting_dreams.commands`: the ``painting-dreams`` CLI.

Beside them, used by any: :mod:`~painting_dreams.image_grid` (tiling images for every figure),
:mod:`~painting_dreams.files` (files written whole, model files checked whole) and
:mod:`~painting_dreams.parameters` (conf blocks checked).
"""

__version__ = "0.1"
