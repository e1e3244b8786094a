"""The Kedro pipelines, one folder per stage: thin wiring of the library packages.

Nodes call :mod:`painting_dreams.targets`, :mod:`~painting_dreams.episodes`,
:mod:`~painting_dreams.world_model`, :mod:`~painting_dreams.agent` and
:mod:`~painting_dreams.evaluation`; nothing outside this package imports from it (the registry
aside). The world-model stages share one node output per variant, the ``episodes`` stage's
``<variant>.episode_split``; the ``agent`` and ``evaluation`` stages have one namespace per run
of ``agent.runs`` in conf, each read as an :class:`~painting_dreams.agent.runs.AgentRun`.
"""
