"""Measurements against real MyPaint (which MyPaint paints through :mod:`painting_dreams.paint.replay`).

* :mod:`~painting_dreams.evaluation.world_models`: the world models' held-out stroke MSE and figures.
* :mod:`~painting_dreams.evaluation.blending`: the compositors calibrated against MyPaint's canvases.
* :mod:`~painting_dreams.evaluation.paint_and_score`: an agent's paintings, in any mode, scored (the
  one way every score is made); :mod:`~painting_dreams.evaluation.modes` compares the modes.
* :mod:`~painting_dreams.evaluation.scores`, :mod:`~painting_dreams.evaluation.figures`: transfer
  scores, summaries and pictures; :mod:`~painting_dreams.evaluation.image_sets`,
  :mod:`~painting_dreams.evaluation.report_files`: the ``evaluate`` command's inputs and files.
"""

from painting_dreams.evaluation.figures import exploitation_figure, stroke_by_stroke_frames, transfer_grid
from painting_dreams.evaluation.scores import SEED_RESULTS, score_transfer, summarise_transfer

__all__ = ["SEED_RESULTS", "exploitation_figure", "score_transfer", "stroke_by_stroke_frames",
           "summarise_transfer", "transfer_grid"]
