"""The painting agent, trained inside the world model (no Kedro here).

* :mod:`~painting_dreams.agent.dream_painter`: the differentiable painter the agent paints with.
* :mod:`~painting_dreams.agent.policy`: the SPIRAL-style policy and the dream rollout.
* :mod:`~painting_dreams.agent.critic`: the conditional WGAN-GP critic and losses.
* :mod:`~painting_dreams.agent.training`: the training loop, with checkpoints, resume and rollback.
* :mod:`~painting_dreams.agent.inference`: painting any 64x64 image with a trained policy (checked first).
* :mod:`~painting_dreams.agent.runs`: an agent run as conf describes it (:class:`AgentRun`: dataset,
  variant, stroke count, every setting merged), the one way pipelines, commands and scripts read a run.
* :mod:`~painting_dreams.agent.cma_baseline`: the seed's first agent, CMA-ES on a tiny controller.
"""

from painting_dreams.agent.critic import build_critic
from painting_dreams.agent.dream_painter import DreamPainter, stroke_model_painter
from painting_dreams.agent.inference import check_targets, dream_mse, paint_targets
from painting_dreams.agent.policy import build_policy, rollout
from painting_dreams.agent.runs import AgentRun
from painting_dreams.agent.training import DreamTrainer, TrainingCollapsedError, TrainingConfig

__all__ = [
    "AgentRun",
    "DreamPainter",
    "DreamTrainer",
    "TrainingCollapsedError",
    "TrainingConfig",
    "build_critic",
    "build_policy",
    "check_targets",
    "dream_mse",
    "paint_targets",
    "rollout",
    "stroke_model_painter",
]
