"""Parses a /metrics scrape with the Prometheus client library's parsers (text format 0.0.4 and
OpenMetrics 1.0) and prints each family as "name type samples"; exits non-zero on a format error.

Usage: python3 check_metrics.py text|openmetrics < scrape
"""
import sys

fmt = sys.argv[1]
data = sys.stdin.read()
if fmt == "openmetrics":
    from prometheus_client.openmetrics.parser import text_string_to_metric_families
else:
    from prometheus_client.parser import text_string_to_metric_families
for family in text_string_to_metric_families(data):
    print(family.name, family.type, len(family.samples))
