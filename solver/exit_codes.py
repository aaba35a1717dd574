"""Every command's exit codes, in one place (README "Exit codes"). Imported by the entry point
before anything else (solver/entry.py), so it imports nothing."""

EXIT_OK = 0  # solved (optimal, or feasible when a limit stopped the search); verify: no breach
EXIT_INTERNAL = 1  # unexpected internal error
EXIT_INPUT = 2  # invalid input or usage, or an output that cannot be written
EXIT_INFEASIBLE = 3  # the hard rules cannot all hold; verify: the plan breaks one
EXIT_NO_SOLUTION = 4  # no feasible allocation found within the limit
EXIT_REGRESSED = 5  # check: an answer moved from its pin
EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_TERMINATED = 143  # 128 + SIGTERM

# the exit code of each status a solve ends with (`api.Result.exit_code`; a plan kept after
# running out of memory in a stage, optimal or feasible, is EXIT_INTERNAL)
STATUS_CODES = {
    "optimal": EXIT_OK,
    "feasible": EXIT_OK,
    "infeasible": EXIT_INFEASIBLE,
    "no_solution": EXIT_NO_SOLUTION,
    "interrupted": EXIT_INTERRUPTED,
}
