"""Audit the pinned dependencies (constraints.txt) for known vulnerabilities.

Usage: python bench/audit.py [--constraints constraints.txt]   (needs: pip install -c constraints.txt -e '.[audit]')

Two sources, the first that audits anything wins:

1. pip-audit with PyPI's vulnerability data (``pip-audit -s pypi``), which asks PyPI's
   JSON API for each pinned release (``/pypi/NAME/VERSION/json``).
2. Where that per-release API is not served (machines that reach only the package
   index answer 404, so pip-audit skips every package and used to report "no known
   vulnerabilities" while auditing nothing), PyPI's project API (``/pypi/NAME/json``),
   which lists the advisories of the project's newest release. A pin that *is* the
   newest release is audited by it; an older pin cannot be, and is named as not audited.

Exit 0: at least one package audited and none vulnerable; 1: a known vulnerability in a
pinned release; 2: nothing could be audited (an audit that audits nothing is a failure,
not a pass).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_API = "https://pypi.org/pypi/{name}/json"
RELEASE_API = "https://pypi.org/pypi/{name}/{version}/json"


@dataclass
class Audit:
    """What one source found: audited packages, their advisories, and what it could not audit."""

    source: str
    audited: list[str] = field(default_factory=list)
    #: (package==version, advisory id, fixed in)
    vulnerable: list[tuple[str, str, str]] = field(default_factory=list)
    #: (package==version, why it was not audited)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.vulnerable:
            return 1
        return 0 if self.audited else 2


def read_pins(path: Path) -> list[tuple[str, str]]:
    """Return (name, version) for each ``name==version`` line of a constraints file."""
    pins = []
    for line in path.read_text().splitlines():
        match = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)", line)
        if match:
            pins.append((match.group(1), match.group(2)))
    return pins


def pip_audit(constraints: Path) -> Audit:
    """Run pip-audit on the pins with PyPI's per-release vulnerability data."""
    audit = Audit("pip-audit -s pypi")
    try:
        out = subprocess.run(
            [sys.executable, "-m", "pip_audit", "-s", "pypi", "-r", str(constraints), "--no-deps",
             "--progress-spinner", "off", "-f", "json"],
            capture_output=True, text=True, timeout=600)
        data = json.loads(out.stdout)
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        audit.skipped.append(("*", f"pip-audit gave no report: {exc}"))
        return audit
    for dep in data.get("dependencies", []):
        pin = f"{dep['name']}=={dep.get('version', '?')}"
        if "skip_reason" in dep:
            audit.skipped.append((pin, dep["skip_reason"]))
            continue
        audit.audited.append(pin)
        for v in dep.get("vulns", []):
            audit.vulnerable.append((pin, v["id"], ", ".join(v.get("fix_versions", [])) or "-"))
    return audit


def fetch_project(name: str) -> dict:
    """Return PyPI's project JSON for a package (its newest release and that release's advisories)."""
    with urllib.request.urlopen(PROJECT_API.format(name=name), timeout=30) as r:
        return json.load(r)


def project_audit(pins: list[tuple[str, str]], fetch: Callable[[str], dict] = fetch_project) -> Audit:
    """Audit each pin that is its project's newest release with the advisories PyPI lists for that release."""
    audit = Audit("PyPI project API")

    def one(pin):
        try:
            return pin, fetch(pin[0]), None
        except (OSError, ValueError, KeyError) as exc:
            return pin, None, exc

    with ThreadPoolExecutor(8) as pool:
        for (name, version), data, error in pool.map(one, pins):
            pin = f"{name}=={version}"
            if error is not None:
                audit.skipped.append((pin, f"PyPI niet bereikt: {error}"))
                continue
            newest = data["info"]["version"]
            if newest != version:
                # The listed advisories are the newest release's; one fixed since this pin would not show.
                audit.skipped.append((pin, f"niet de nieuwste release ({newest}): alleen die wordt hier gecontroleerd"))
                continue
            audit.audited.append(pin)
            for v in data.get("vulnerabilities") or []:
                if not v.get("withdrawn"):
                    audit.vulnerable.append((pin, v.get("id", "?"), ", ".join(v.get("fixed_in") or []) or "-"))
    return audit


def release_api_answers(pins: list[tuple[str, str]]) -> bool:
    """Tell whether PyPI's per-release API, which pip-audit needs, answers for the first pin."""
    if not pins:
        return False
    name, version = pins[0]
    try:
        with urllib.request.urlopen(RELEASE_API.format(name=name, version=version), timeout=30):
            return True
    except (OSError, ValueError):
        return False


def run(constraints: Path, fetch: Callable[[str], dict] = fetch_project, use_pip_audit: bool = True) -> Audit:
    """Audit with pip-audit, or with PyPI's project API when pip-audit cannot audit anything."""
    # A probe first: where the per-release API answers 404, pip-audit would spend a minute
    # asking about every package only to skip them all.
    if use_pip_audit and not release_api_answers(read_pins(constraints)):
        print("PyPI's per-release API antwoordt niet: pip-audit kan hier niets controleren")
        use_pip_audit = False
    audit = pip_audit(constraints) if use_pip_audit else None
    if audit is None or not audit.audited:
        if audit is not None:
            print(f"{audit.source}: 0 pakketten gecontroleerd ({len(audit.skipped)} overgeslagen); "
                  "nu met PyPI's project-API")
        audit = project_audit(read_pins(constraints), fetch)
    return audit


def report(audit: Audit) -> None:
    for pin, vid, fixed in audit.vulnerable:
        print(f"KWETSBAAR {pin}: {vid} (opgelost in {fixed})")
    for pin, why in audit.skipped:
        print(f"niet gecontroleerd: {pin}: {why}")
    print(f"{audit.source}: {len(audit.audited)} van {len(audit.audited) + len(audit.skipped)} pakketten "
          f"gecontroleerd, {len({p for p, _, _ in audit.vulnerable})} met bekende kwetsbaarheden")
    if not audit.audited:
        print("FOUT: geen enkel pakket gecontroleerd; deze audit zegt niets")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--constraints", type=Path, default=ROOT / "constraints.txt")
    parser.add_argument("--no-pip-audit", action="store_true", help="only PyPI's project API")
    args = parser.parse_args()
    audit = run(args.constraints, use_pip_audit=not args.no_pip_audit)
    report(audit)
    return audit.exit_code


if __name__ == "__main__":
    sys.exit(main())
