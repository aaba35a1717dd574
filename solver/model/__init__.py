"""The allocation model: index sets, core rules, caveat constraints and objective stages."""
