"""The client stands alone: no Textual, no boto in what s3tui needs to run."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_client_does_not_import_textual():
    code = (
        "import sys, s3tui.s3; from s3tui.s3 import S3Client; "
        "S3Client('a', 'b').generate_presigned_url('GET', 'bkt', 'k'); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'rich', 'boto3', 'botocore', 'aiobotocore', 'aiohttp')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # presigning alone is pure: not even aiohttp is loaded
    assert out.stdout.strip() == "[]"


def test_runtime_dependencies_exclude_boto():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    deps = " ".join(meta["project"]["dependencies"]).lower()
    for banned in ("boto3", "botocore", "aiobotocore", "moto"):
        assert banned not in deps
    extras = meta["project"]["optional-dependencies"]
    assert all("moto" not in " ".join(v) for k, v in extras.items() if k not in ("test", "demo"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the package
                base = path.relative_to(ROOT).with_suffix("").parts[: -node.level]
                names.add(".".join([*base, node.module] if node.module else base))
            elif node.module:
                names.add(node.module)
    return names


def test_layers_import_one_way():
    rules = {
        "s3": ("s3tui.services", "s3tui.ui", "s3tui.server", "textual", "keyring", "pyperclip"),
        "services": ("s3tui.ui", "s3tui.server", "textual"),
        "server": ("s3tui.ui", "textual"),
        "cli": ("s3tui.ui", "textual"),
    }
    offences = []
    for layer, banned in rules.items():
        for path in (ROOT / "s3tui" / layer).rglob("*.py"):
            for name in _imports(path):
                if any(name == b or name.startswith(b + ".") for b in banned):
                    offences.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offences == []
