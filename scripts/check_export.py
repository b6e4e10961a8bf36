"""Validates GET /api/v1/services/export against the official data·inclusion schema.

Usage: check_export.py BASE_URL

Every page of the export (fetched without a token, as anyone would) is checked object by
object with the PyPI package `data-inclusion-schema`: `v1.Structure.model_validate` and
`v1.Service.model_validate` (warnings counted as errors). The models accept unknown keys
silently, so keys outside each model's fields fail the check too. Also checked: every
service's `structure_id` names an exported structure, and at least one service is exported
(the demo data publishes some).
"""
import json
import sys
import urllib.request

from data_inclusion.schema import v1

CONTEXT = {"ignore_warnings": False}


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.load(r)


def main(base):
    errors = []
    structures, services = {}, []
    cursor = ""
    pages = 0
    while True:
        page = fetch(f"{base}/api/v1/services/export?limit=200&cursor={cursor}")
        pages += 1
        for kind, model, items in (
            ("structure", v1.Structure, page["structures"]),
            ("service", v1.Service, page["services"]),
        ):
            known = set(model.model_fields)
            for o in items:
                extra = sorted(set(o) - known)
                if extra:
                    errors.append(f"{kind} {o.get('id')}: unknown keys {extra}")
                try:
                    model.model_validate(o, context=CONTEXT)
                except Exception as e:  # pydantic.ValidationError, and warnings as errors
                    errors.append(f"{kind} {o.get('id')}: {e}")
        structures.update({s["id"]: s for s in page["structures"]})
        services.extend(page["services"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    for s in services:
        if s["structure_id"] not in structures:
            errors.append(f"service {s['id']}: structure {s['structure_id']} not exported")
    if not services:
        errors.append("no service exported (seed-demo publishes some)")
    for e in errors:
        print(f"export: {e}")
    print(f"export: {len(services)} services and {len(structures)} structures in {pages} pages, "
          f"{len(errors)} problems (data-inclusion-schema v1)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
