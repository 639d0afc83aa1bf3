"""Parses Prometheus text from stdin with the Prometheus client's own parser; prints its samples as JSON."""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

samples = [
    {"family": family.name, "type": family.type, "name": sample.name, "labels": sample.labels, "value": sample.value}
    for family in text_string_to_metric_families(sys.stdin.read())
    for sample in family.samples
]
json.dump(samples, sys.stdout)
