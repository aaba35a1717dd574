"""Reading and validating planners' workbooks."""
