"""Named checks for the Python tests: each printed as ok or FAIL as it is made,
the exit status decided by all of them at the end (a failed check does not
stop the ones after it)."""

failures = []


def check(ok, msg):
    print("%s %s" % ("ok  " if ok else "FAIL", msg))
    if not ok:
        failures.append(msg)
    return ok


def exit_status():
    """0 if every check passed, else 1 (after saying how many failed)."""
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all checks passed")
    return 0
