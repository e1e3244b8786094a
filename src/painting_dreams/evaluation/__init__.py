"""Real-environment evaluation: the agent's dreamed strokes replayed in MyPaint, and scored."""

from painting_dreams.evaluation.figures import exploitation_figure, stroke_by_stroke_frames, transfer_grid
from painting_dreams.evaluation.replay import replay_in_mypaint
from painting_dreams.evaluation.scores import SEED_RESULTS, score_transfer, summarise_transfer

__all__ = ["SEED_RESULTS", "exploitation_figure", "replay_in_mypaint", "score_transfer", "stroke_by_stroke_frames",
           "summarise_transfer", "transfer_grid"]
