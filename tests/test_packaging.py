"""The install routes agree: pyproject.toml, constraints.txt, environment.yml, README, CI."""

import configparser
import re

import pytest
import yaml
from conftest import LOCAL_EXTRAS, ROOT, pins, pyproject
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name


def declared_requirements():
    project = pyproject()["project"]
    extras = project["optional-dependencies"]
    reqs = project["dependencies"] + extras["lab"] + extras["tools"] + extras["test"]
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
    assert pip[0]["pip"] == ["-c constraints.txt", f"-e .[{LOCAL_EXTRAS}]"]


def readme_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", readme, flags=re.S)
    lab, test = blocks[0].strip(), blocks[1].strip()
    return lab, test


def test_readme_quickstart_is_two_commands_sharing_one_install():
    lab, test = readme_commands()
    assert "\n" not in lab and "\n" not in test
    install = ("python3 -m venv .venv && .venv/bin/python -m pip install -c constraints.txt "
               f'-e ".[{LOCAL_EXTRAS}]"')
    assert lab.startswith(install) and test.startswith(install)
    assert lab.endswith("jupyter lab --ServerApp.root_dir=. notebooks/00_start_here.ipynb")
    assert test.endswith("-m pytest --nbval")


def test_ci_runs_exactly_the_readme_commands():
    _, test = readme_commands()
    install, _, pytest_cmd = test.rpartition(" && ")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    # the README's commands, in CI's own throwaway environment instead of the README's .venv
    own = [c.replace(".venv", '"$VENV"') for c in (install, pytest_cmd)]
    assert own[0] in ci.splitlines() and own[1] in ci.splitlines()
    assert "set -euo pipefail" in ci
    assert 'VENV="${VENV:-.ci-venv}"' in ci and ".ci-venv/" in (ROOT / ".gitignore").read_text()
    assert ".venv" not in ci.replace(".ci-venv", ""), "CI must never touch the README's .venv"
    # the slow tests once; the backends runs after PyTorch's CPU build, installed alone
    lines = ci.splitlines()
    assert '"$VENV"/bin/python -m pytest -m slow tests' in lines
    torch_step = next(i for i, line in enumerate(lines) if "--no-deps" in line and "torch" in line)
    backends = next(i for i, line in enumerate(lines) if "[lab,test,backends]" in line)
    assert torch_step < backends
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


# Modules the notebooks and `import course_utils` may import, and the distribution each
# comes from. Everything else they import must be the standard library or come with
# Jupyter itself (IPython).
DISTRIBUTIONS = {"keras": "keras", "tensorflow": "tensorflow", "numpy": "numpy",
                 "matplotlib": "matplotlib", "sklearn": "scikit-learn", "mlxtend": "mlxtend"}
PROVIDED = {"IPython", "course_utils", "jax", "torch"}  # the kernel; ourselves; other backends
# Needed at run time by a Keras call a lesson makes, though no lesson imports it.
THROUGH_KERAS = {"tensorboard": "TensorBoard("}  # keras.callbacks.TensorBoard writes with it


def imported_top_level_modules():
    import ast
    import sys

    import nbformat

    sources = [p.read_text(encoding="utf-8") for p in (ROOT / "course_utils").glob("*.py")]
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        sources += ["\n".join(line for line in c.source.splitlines()
                              if not line.lstrip().startswith(("%", "!")))
                    for c in nb.cells if c.cell_type == "code"]
    found = set()
    for src in sources:
        for node in ast.walk(ast.parse(src)):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m not in PROVIDED}


def test_runtime_dependencies_are_exactly_what_the_lessons_import():
    # On Colab the setup cell pip-installs course_utils with these dependencies: anything
    # more (JupyterLab, test tools) would upgrade Colab's own Jupyter packages under it.
    imported = imported_top_level_modules()
    assert imported <= set(DISTRIBUTIONS), f"undeclared imports: {imported - set(DISTRIBUTIONS)}"
    runtime = {canonicalize_name(Requirement(r).name)
               for r in pyproject()["project"]["dependencies"]}
    lessons = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "notebooks").glob("*.ipynb"))
    through_keras = {name for name, call in THROUGH_KERAS.items() if call in lessons}
    assert runtime == {DISTRIBUTIONS[m] for m in imported} | through_keras


def test_maintainer_tools_are_console_commands_outside_the_learner_import():
    import importlib
    import subprocess
    import sys

    scripts = pyproject()["project"]["scripts"]
    assert {"course-refresh", "course-student-copies", "course-nbfmt",
            "course-translate"} <= set(scripts)
    for target in scripts.values():
        module, _, function = target.partition(":")
        assert module.startswith("course_utils.tools.") and function == "main", target
        assert callable(getattr(importlib.import_module(module), function)), target
    # `import course_utils` is lean: no maintainer module, not even Keras until a helper
    # is used (so the backend can still be chosen), yet every helper is there.
    code = ("import sys, course_utils; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('nbformat', 'nbclient', 'jupyter_client', 'keras', 'tensorflow') "
            "or m.startswith('course_utils.tools'))); "
            "print(all(callable(getattr(course_utils, n)) for n in course_utils.__all__))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120).stdout.split("\n")
    assert out[0] == "[]", f"import course_utils pulled in: {out[0]}"
    assert out[1] == "True"


def test_floors_file_installs_exactly_the_declared_lower_bounds():
    floors = {}
    for line in (ROOT / "tests" / "floors.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            floors[canonicalize_name(name)] = version
    declared = {}
    for req in pyproject()["project"]["dependencies"]:
        req = Requirement(req)
        (spec,) = [s for s in req.specifier if s.operator == ">="]
        declared[canonicalize_name(req.name)] = spec.version
    assert set(floors) == set(declared)
    assert floors == declared, "pyproject's lower bounds and tests/floors.txt disagree"
    workflow = (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    assert "tests/floors.txt" in workflow and "--nbval-lax" in workflow


def test_pre_commit_runs_ruff_and_the_notebook_formatter():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert hooks["ruff"]["entry"].startswith("ruff check")
    assert "jupyter" in hooks["ruff"]["types_or"]
    nbfmt_module = pyproject()["project"]["scripts"]["course-nbfmt"].split(":")[0]
    assert hooks["course-nbfmt"]["entry"] == f"python -m {nbfmt_module}"
    # each hook in an environment of its own (no activated venv, no .venv/bin path), with
    # the versions the tests use
    pinned = pins()
    for hook in hooks.values():
        assert hook["language"] == "python" and ".venv" not in hook["entry"]
        for dep in hook["additional_dependencies"]:
            name, version = dep.split("==")
            assert pinned[canonicalize_name(name)] == version, f"{dep}: constraints.txt differs"


def build_backend():
    import importlib.util

    path = ROOT / "build_backend" / "course_build_backend.py"
    spec = importlib.util.spec_from_file_location("course_build_backend", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_backend_is_setuptools_behind_a_python_check():
    system = pyproject()["build-system"]
    assert system["build-backend"] == "course_build_backend"
    assert system["backend-path"] == ["build_backend"]
    backend = build_backend()
    import setuptools.build_meta as setuptools_backend

    for hook in ("build_wheel", "build_editable", "build_sdist",
                 "get_requires_for_build_editable", "prepare_metadata_for_build_wheel"):
        assert callable(getattr(backend, hook)) and hasattr(setuptools_backend, hook)
    # the versions it lets through are exactly the classifiers
    claimed = [c.rsplit(" :: ", 1)[1] for c in pyproject()["project"]["classifiers"]
               if c.count(".") == 1]
    assert [f"{a}.{b}" for a, b in backend.supported_versions()] == claimed
    assert "include build_backend/*.py" in (ROOT / "MANIFEST.in").read_text(encoding="utf-8")


def test_an_unclaimed_python_without_tensorflow_stops_with_the_supported_versions():
    backend = build_backend()
    supported = backend.supported_versions()
    with pytest.raises(SystemExit) as info:
        backend.check_python((3, 14), supported, has_tensorflow=lambda: False)
    message = str(info.value)
    assert "Python 3.10, 3.11, 3.12 or 3.13" in message and "this is Python 3.14" in message
    assert "resolver" not in message and "Traceback" not in message
    with pytest.raises(SystemExit, match="this is Python 3.9"):
        backend.check_python((3, 9), supported, has_tensorflow=lambda: False)
    # claimed Pythons pass without looking for TensorFlow; an unclaimed one that already
    # has TensorFlow (Colab moving ahead of the list) is let through
    backend.check_python((3, 13), supported, has_tensorflow=lambda: 1 / 0)
    backend.check_python((3, 14), supported, has_tensorflow=lambda: True)


def test_license_file_and_pep_639_metadata():
    project = pyproject()["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "the course's contributors" in text
    (setuptools,) = [Requirement(r) for r in pyproject()["build-system"]["requires"]]
    assert setuptools.name == "setuptools" and not setuptools.specifier.contains("76.9")
    assert not any(c.startswith("License ::") for c in project["classifiers"])  # PEP 639


def test_text_files_keep_lf_endings_on_windows():
    rules = (ROOT / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert "* text=auto eol=lf" in rules and "*.png binary" in rules
