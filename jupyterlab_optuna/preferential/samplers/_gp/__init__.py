"""Math of :class:`~jupyterlab_optuna.preferential.samplers.gp.PreferentialGPSampler`.

``search_space`` encodes parameters to the unit cube, ``model`` is the preference GP
(Laplace approximation), ``acquisition`` scores a new point, ``optim`` maximises the score
over mixed spaces; ``data`` gathers the compared points. Only ``search_space`` and ``data``
are free of torch (the server's utility view imports them without it).
"""
