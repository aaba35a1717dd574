"""Explanations in planner terms: why a plan is impossible, why a requirement stays short."""
