"""Math of :class:`~jupyterlab_optuna.preferential.samplers.gp.PreferentialGPSampler`.

``search_space`` encodes parameters to the unit cube, ``model`` is the preference GP
(Laplace approximation), ``acquisition`` scores a new point, ``optim`` maximises the score
over mixed spaces. Only ``search_space`` is free of torch.
"""
