"""The install routes agree: pyproject.toml, constraints.txt, environment.yml, README, CI."""

import configparser
import re
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def pyproject():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def pins():
    found = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        assert "==" in line and not line.startswith("-"), f"not an exact pin: {line}"
        name, version = line.split("==", 1)
        found[canonicalize_name(name.split("[")[0])] = version.split(";")[0].strip()
    return found


def declared_requirements():
    project = pyproject()["project"]
    reqs = project["dependencies"] + project["optional-dependencies"]["test"]
    return [Requirement(r) for r in reqs]


@pytest.mark.parametrize("req", declared_requirements(), ids=str)
def test_every_dependency_is_pinned_within_its_range(req):
    pinned = pins()
    name = canonicalize_name(req.name)
    assert name in pinned, f"{req.name} is not pinned in constraints.txt"
    assert req.specifier.contains(pinned[name], prereleases=True), (
        f"constraints.txt pins {req.name}=={pinned[name]}, outside pyproject's {req.specifier}")


def test_constraints_do_not_pin_the_course_itself():
    assert "course-utils" not in pins()


def test_environment_yml_installs_what_pyproject_declares():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    deps = env["dependencies"]
    conda = [d for d in deps if isinstance(d, str)]
    pip = [d for d in deps if isinstance(d, dict)]
    assert len(pip) == 1 and set(pip[0]) == {"pip"}
    # Only the interpreter comes from conda; every library comes through pip with the
    # same constraints file as the quickstart, so the two routes cannot drift apart.
    assert sorted(re.split(r"[=<>]", d)[0] for d in conda) == ["pip", "python"]
    python = next(d for d in conda if d.startswith("python"))
    version = python.split("=", 1)[1]
    assert SpecifierSet(pyproject()["project"]["requires-python"]).contains(version + ".0")
    assert pip[0]["pip"] == ["-c constraints.txt", "-e .[test]"]


def readme_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", readme, flags=re.S)
    lab, test = blocks[0].strip(), blocks[1].strip()
    return lab, test


def test_readme_quickstart_is_two_commands_sharing_one_install():
    lab, test = readme_commands()
    assert "\n" not in lab and "\n" not in test
    install = "python3 -m venv .venv && .venv/bin/python -m pip install -c constraints.txt"
    assert lab.startswith(install) and test.startswith(install)
    assert lab.endswith("jupyter lab notebooks/00_start_here.ipynb")
    assert test.endswith("-m pytest --nbval")


def test_ci_runs_exactly_the_readme_commands():
    _, test = readme_commands()
    install, _, pytest_cmd = test.rpartition(" && ")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert install in ci.splitlines()
    assert pytest_cmd in ci.splitlines()
    assert "set -euo pipefail" in ci
    workflow = (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    assert "bash .ci/run" in workflow and "pull_request" in workflow and "push" in workflow


def test_pytest_is_configured_for_nbval():
    opts = pyproject()["tool"]["pytest"]["ini_options"]
    assert "--nbval-current-env" in opts["addopts"]
    assert "--nbval-sanitize-with=tests/nbval_sanitize.cfg" in opts["addopts"]
    assert "notebooks" in opts["testpaths"]


def sanitizers():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "tests" / "nbval_sanitize.cfg", encoding="utf-8")
    return [(re.compile(cfg[s]["regex"]), cfg[s]["replace"]) for s in cfg.sections()]


def sanitize(text):
    for regex, replace in sanitizers():
        text = regex.sub(replace, text)
    return text


def test_sanitize_file_masks_run_dependent_text_only():
    assert len(sanitizers()) >= 3
    assert sanitize("elapsed : 1.52 s") == sanitize("elapsed : 23 s")
    assert sanitize("Python 3.11.7") == sanitize("Python 3.12.1")
    assert sanitize("GPU visible: none (running on the CPU)") == sanitize("GPU visible: /gpu:0")
    # lesson output is left alone
    assert sanitize("train: (80, 1)") == "train: (80, 1)"
    assert sanitize("keras        3.15.1") == "keras        3.15.1"
