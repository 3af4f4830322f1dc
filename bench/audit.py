"""Audit the installed dependencies for known vulnerabilities with pip-audit.

Usage: python bench/audit.py   (needs: pip install -e '.[audit]')

pip-audit asks PyPI's JSON API for each package's advisories. Where that service cannot
be reached (machines that see only the package index), every package comes back
"could not be audited": this script then says so and exits 0, since nothing was
learned; it exits 1 when any vulnerability is reported.
"""

from __future__ import annotations

import json
import subprocess
import sys


def main() -> int:
    out = subprocess.run([sys.executable, "-m", "pip_audit", "-l", "--progress-spinner", "off", "-f", "json"],
                         capture_output=True, text=True, timeout=600)
    try:
        data = json.loads(out.stdout)
    except ValueError:
        print(f"pip-audit gave no report (exit {out.returncode}): {out.stderr.strip()[-500:]}")
        return 0
    deps = data.get("dependencies", [])
    audited = [d for d in deps if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    if not audited:
        print(f"audit skipped: the vulnerability service could not be reached for any of {len(deps)} packages")
        return 0
    for d in vulnerable:
        for v in d["vulns"]:
            print(f"{d['name']} {d['version']}: {v['id']} (fixed in {', '.join(v.get('fix_versions', [])) or '-'})")
    print(f"audited {len(audited)} of {len(deps)} packages, {len(vulnerable)} with known vulnerabilities")
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
