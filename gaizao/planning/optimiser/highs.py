"""HiGHS instances that keep quiet: the library prints a banner to the C stdout when the first one is made,
which would spoil `gaizao plan --json > plan.json`."""

import ctypes
import os
import sys

import highspy

_banner_done = False


def new_highs() -> highspy.Highs:
    global _banner_done
    if _banner_done:
        highs = highspy.Highs()
    else:
        highs = _without_stdout(highspy.Highs)
        _banner_done = True
    highs.silent()
    return highs


def _without_stdout(make):
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):
        return make()
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        made = make()
        try:
            ctypes.CDLL(None).fflush(None)
        except (OSError, AttributeError):
            pass
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    return made
