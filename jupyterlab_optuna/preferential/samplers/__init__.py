"""Samplers of preferential studies. Import :mod:`.gp` for the GP sampler (needs torch)."""
