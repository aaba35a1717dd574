"""`python -m solver`: the `forcegen` command (`solver.entry.main`), where its console script is
not on the PATH (a virtual environment not activated, a source tree not installed)."""

from solver.entry import main

if __name__ == "__main__":
    main()
