"""The language primitives every stage may use: width folding with offsets (width.py), Chinese
numerals (numerals.py), patterns built from rules word lists (patterns.py), and heading-number
and `label：value` recognisers (labels.py). Stages import from here; this layer imports only
the rules."""
