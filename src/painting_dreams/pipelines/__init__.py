"""The Kedro pipelines, one folder per stage: thin wiring of the library packages.

Nodes call :mod:`painting_dreams.targets`, :mod:`~painting_dreams.episodes`,
:mod:`~painting_dreams.world_model`, :mod:`~painting_dreams.agent` and
:mod:`~painting_dreams.evaluation`; nothing outside this package imports from it (the registry
aside). Namespaces are the names of conf's inventory (:mod:`painting_dreams.inventory`): the
``data_prep`` stage has one per dataset, the world-model stages one per world (sharing the
``episodes`` stage's ``<world>.episode_split``), the ``agent`` and ``evaluation`` stages one per run,
each read as an :class:`~painting_dreams.agent.runs.AgentRun`.
"""
