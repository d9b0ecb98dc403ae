"""What every experiment uses and no experiment owns.

- ``registry``: the experiments, each registered by its own package (the CLI and the recorder read it);
- ``knobs``: limits declared once on a config's fields (checks, widgets and CLI flags read them);
- ``runs``: the run protocol: ``Snapshot``, ``Diverged``, ``seeded_init`` (a run owns its randomness);
- ``training``: the one training kit (schedules, ``set_lr``, finite checks, batches, parameter groups, peak memory,
  the GPU lock, seeded dropout);
- ``metrics``: ROC / AUC, kNN accuracy, the Wilson interval;
- ``runtime``: device, cache folder, memory, threads, clocks;
- ``pretrained``: the packaged pretrained models (MiniLM, SmolLM2), loaded once through one lock;
- ``classifier``: the shared digit classifier that scores generated images.
"""
