#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ from the repository's own fixtures (run from anywhere).

  json_loader       every .json fixture and example (up to 64 KiB)
  yaml_loader       every .yaml / .yml fixture and example
  template_reader   the template fixtures (JSON and YAML) and the definition files they name
  path_expressions  every JSONPath, Reference Path and intrinsic call written in a fixture
  jsonata           the expressions of tests/jsonata/regression.jsonl and of JSONata fixtures
  simulate          every .json fixture that looks like a state machine

The corpora are generated, not committed (fuzz/.gitignore); libFuzzer adds what it finds.
"""
import hashlib
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")
MAX_BYTES = 64 * 1024


def put(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not data or len(data) > MAX_BYTES:
        return
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def strings(value, key=None):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v, key)
    elif isinstance(value, str):
        yield key, value


def main():
    for top in ("fixtures", "examples"):
        for folder, _, files in os.walk(os.path.join(ROOT, top)):
            for name in files:
                path = os.path.join(folder, name)
                with open(path, "rb") as f:
                    data = f.read()
                lower = name.lower()
                template = "template" in path or "cdk" in path or "serverless" in path or "sam" in lower
                if lower.endswith(".json"):
                    put("json_loader", data)
                    if template:
                        put("template_reader", data)
                    try:
                        value = json.loads(data)
                    except ValueError:
                        continue
                    if isinstance(value, dict) and "StartAt" in value:
                        put("simulate", data)
                    for key, text in strings(value):
                        k = key or ""
                        if k.endswith(".$") or k.endswith("Path") or k == "Variable" or text.startswith("$"):
                            put("path_expressions", text)
                        if text.startswith("{%") and text.endswith("%}"):
                            put("jsonata", text[2:-2].strip())
                elif lower.endswith((".yaml", ".yml")):
                    put("yaml_loader", data)
                    put("template_reader", data)
    with open(os.path.join(ROOT, "tests", "jsonata", "regression.jsonl"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                put("jsonata", json.loads(line)["expr"])
    for target in sorted(os.listdir(CORPUS)):
        print(f"{target}: {len(os.listdir(os.path.join(CORPUS, target)))} seeds")


if __name__ == "__main__":
    main()
