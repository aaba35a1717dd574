"""Solving the model with HiGHS."""
