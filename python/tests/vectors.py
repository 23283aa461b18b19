"""Loads the shared contract vectors (contract/vectors/*.json), which the Java tests run too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

VECTORS = Path(__file__).resolve().parents[2] / "contract" / "vectors"


def cases(name: str) -> list[dict[str, Any]]:
    document = json.loads((VECTORS / f"{name}.json").read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = document["cases"]
    return found


def ids(found: list[dict[str, Any]]) -> list[str]:
    return [str(case["name"]) for case in found]
