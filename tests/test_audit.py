"""The dependency audit audits something or fails, and every dependency is pinned in constraints.txt."""

import re
import sys
import tomllib

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import audit  # noqa: E402  (bench/ is not a package)

CONSTRAINTS = ROOT / "constraints.txt"


def project(version, vulnerabilities=()):
    return {"info": {"version": version}, "vulnerabilities": list(vulnerabilities)}


def test_an_audit_that_reaches_nothing_fails_instead_of_passing(tmp_path):
    pins = tmp_path / "c.txt"
    pins.write_text("flask==3.1.3\nwerkzeug==3.1.9\n")

    def unreachable(name):
        raise OSError("geen netwerk")

    result = audit.run(pins, fetch=unreachable, use_pip_audit=False)
    assert result.audited == [] and len(result.skipped) == 2
    assert result.exit_code == 2


def test_a_known_vulnerability_in_a_pinned_release_fails_the_audit(tmp_path):
    pins = tmp_path / "c.txt"
    pins.write_text("# pins\nflask==3.1.3\njinja2==3.1.6\n")
    data = {"flask": project("3.1.3"),
            "jinja2": project("3.1.6", [{"id": "GHSA-xxxx", "fixed_in": ["3.1.7"], "withdrawn": None}])}
    result = audit.run(pins, fetch=data.__getitem__, use_pip_audit=False)
    assert result.audited == ["flask==3.1.3", "jinja2==3.1.6"]
    assert result.vulnerable == [("jinja2==3.1.6", "GHSA-xxxx", "3.1.7")]
    assert result.exit_code == 1


def test_a_pin_behind_the_newest_release_is_named_as_not_audited(tmp_path):
    pins = tmp_path / "c.txt"
    pins.write_text("numpy==2.4.6\nflask==3.1.3\n")
    data = {"numpy": project("2.5.5"), "flask": project("3.1.3")}
    result = audit.run(pins, fetch=data.__getitem__, use_pip_audit=False)
    assert result.audited == ["flask==3.1.3"] and result.exit_code == 0
    assert [pin for pin, _ in result.skipped] == ["numpy==2.4.6"] and "2.5.5" in result.skipped[0][1]


def requirements() -> dict[str, str]:
    """Return {name: pinned version} of the dependencies and the extras that CI installs."""
    project_table = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project_table["dependencies"])
    for extra in ("test", "bench", "audit"):
        reqs += project_table["optional-dependencies"][extra]
    return {re.split(r"[=<>]", r)[0]: r.split("==")[1] if "==" in r else "" for r in reqs}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.mark.parametrize("name, version", sorted(requirements().items()))
def test_every_requirement_is_pinned_in_the_constraints_at_its_version(name, version):
    pins = {canonical(n): v for n, v in audit.read_pins(CONSTRAINTS)}
    assert canonical(name) in pins, f"{name} is missing from constraints.txt"
    if version:
        assert pins[canonical(name)] == version


def test_the_readme_and_ci_install_with_the_constraints():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    for command in re.findall(r"pip install[^\n&]*", readme + ci):
        if "-e " in command:
            assert "-c constraints.txt" in command, command
