"""From a solution to the tables planners read: allocation, coverage, contributors, caveats."""
