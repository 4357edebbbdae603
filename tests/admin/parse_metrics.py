#!/usr/bin/python3
"""parse_metrics.py FILE — reads ocopd's /metrics answer with the Prometheus
client library's own text parser and prints what it understood, one line per
sample, for tests/itest/test_admin.c:

    F <family> <type>
    S <sample name> <label>=<value>,... <value>

(labels sorted by name). It exits 1 with one line on stderr when the text does
not parse, when a family lacks its HELP or TYPE, or when a histogram's buckets
are not cumulative or do not end at +Inf with its count.
"""
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def fail(what):
    print("parse_metrics: " + what, file=sys.stderr)
    sys.exit(1)


def check_histogram(fam):
    """Buckets cumulative per series, the last at +Inf equal to _count."""
    series = {}
    for s in fam.samples:
        key = tuple(sorted((k, v) for k, v in s.labels.items() if k != "le"))
        entry = series.setdefault(key, {"buckets": [], "count": None})
        if s.name.endswith("_bucket"):
            entry["buckets"].append((float(s.labels["le"]), s.value))
        elif s.name.endswith("_count"):
            entry["count"] = s.value
    for key, entry in series.items():
        buckets = entry["buckets"]
        if not buckets or not math.isinf(buckets[-1][0]):
            fail("%s%s: no +Inf bucket" % (fam.name, dict(key)))
        values = [v for _, v in buckets]
        if values != sorted(values):
            fail("%s%s: buckets are not cumulative" % (fam.name, dict(key)))
        if entry["count"] != buckets[-1][1]:
            fail("%s%s: _count differs from the +Inf bucket" % (fam.name, dict(key)))


def main():
    if len(sys.argv) != 2:
        fail("usage: parse_metrics.py FILE")
    with open(sys.argv[1], encoding="utf-8") as f:
        text = f.read()
    try:
        families = list(text_string_to_metric_families(text))
    except Exception as e:  # the parser raises ValueError and others
        fail("does not parse: %s" % e)
    if not families:
        fail("no metric family")
    for fam in families:
        if fam.type == "unknown" or not fam.documentation:
            fail("%s: no HELP or TYPE" % fam.name)
        if fam.type == "histogram":
            check_histogram(fam)
        print("F %s %s" % (fam.name, fam.type))
        for s in fam.samples:
            labels = ",".join("%s=%s" % kv for kv in sorted(s.labels.items()))
            print("S %s %s %r" % (s.name, labels or "-", s.value))


if __name__ == "__main__":
    main()
