"""The machinery behind `t2l`: runs a pair's two sides, observes them from outside, compares them bitwise.

Nothing under pairs/<pair>/ imports this package: the harness attaches to the learner's code, never the reverse.
"""
