"""The tally engine of the budget participatif: exact arithmetic, grouped ballots, documented tie-breaking.

Pure Python, no Django: it reads and writes Pabulib files and computes outcomes with explanations.
"""
