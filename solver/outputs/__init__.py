"""forcegen's outputs read back: an output workbook as read (load.py), the input it was solved
from (source.py), one order of the periods its sheets list (order.py), and a hand-edited timed
plan's sheets rebuilt from its Tours (rebuilt_time.py).

`compare` and `report` both read outputs; this package is below both and imports neither, and
`compare` does not import `report` (tests/test_layering.py holds the three to that).
"""
