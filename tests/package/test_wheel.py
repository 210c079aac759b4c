"""The wheel, built from the tracked files alone as a fresh clone has them, installs into a
virtual environment of its own and creates, seeds and reads a store with no file of the
checkout in reach: its migrations and the demo district travel inside it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NO_NETWORK = {"PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def _fresh_clone(dest: Path) -> list[str]:
    """Copy the tracked files of the working tree to `dest`, so the build leaves no build/ or
    egg-info in the checkout and cannot see untracked files; the copied names."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    names = [name for name in listed.split("\0") if name]
    for name in names:
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target, follow_symlinks=False)  # console/seeds is a link
    return names


def _run(argv: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=cwd, timeout=300)
    assert result.returncode == 0, f"{' '.join(argv)}\n{result.stdout}\n{result.stderr}"
    return result


def test_the_wheel_runs_the_console_from_its_own_environment(tmp_path: Path) -> None:
    source, wheels, venv = tmp_path / "clone", tmp_path / "wheels", tmp_path / "venv"
    names = _fresh_clone(source)
    # Neither the checkout (PYTHONPATH) nor a user's store or config may leak in.
    env = {
        k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("GRIDCALL_")
    } | NO_NETWORK
    pip = [sys.executable, "-m", "pip"]
    _run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(source)],
        env,
        tmp_path,
    )
    (wheel,) = wheels.glob("gridcall-*.whl")

    shipped = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "console/seeds/" + name.removeprefix("seeds/") if name.startswith("seeds/") else name
        for name in names
        # console/seeds itself is the link to seeds/, whose files are the ones shipped
        if name.startswith(("console/", "seeds/")) and not (source / name).is_symlink()
    }
    assert expected <= shipped, sorted(expected - shipped)

    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], env, tmp_path)
    python = venv / "bin" / "python"
    _run([*pip, "--python", str(python), "install", "--no-deps", str(wheel)], env, tmp_path)
    # The dependencies come from this environment, behind the venv's own site-packages; a path
    # in a .pth file does not run that directory's own .pth files, so this environment's
    # editable install of the checkout stays out.
    site = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            env,
            tmp_path,
        ).stdout.strip()
    )
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (site / "gridcall_test_deps.pth").write_text("".join(f"{path}\n" for path in sorted(ours)))

    where = _run(
        [
            str(python),
            "-c",
            "import console, console.db, console.demo.seedfiles as s;"
            "print(console.__file__, console.db.MIGRATIONS, s.SEEDS_DIR, sep='\\n')",
        ],
        env,
        tmp_path,
    ).stdout.split()
    for path in where:
        assert Path(path).is_relative_to(site), where

    gridcall = str(venv / "bin" / "gridcall")
    store = f"sqlite:///{tmp_path / 'store.db'}"
    env |= {
        "GRIDCALL_DATA_DIR": str(tmp_path / "data"),
        "GRIDCALL_CONFIG": str(tmp_path / "config.toml"),
        "GRIDCALL_STATE_DIR": str(tmp_path / "state"),
        "LANG": "en_US.UTF-8",
    }
    _run([gridcall, "init", "--db", store], env, tmp_path)
    _run([gridcall, "seed", "--db", store, "--cases", "1000"], env, tmp_path)
    # A district supervisor reads every street; the demo's password travels in the wheel too.
    signed = subprocess.run(
        [gridcall, "login", "--db", store, "--user", "sup.district1", "--password-stdin"],
        input="gridcall-demo\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert signed.returncode == 0, signed.stderr
    listed = _run(
        [gridcall, "case", "list", "--db", store, "--all", "--limit", "10000", "--json"],
        env,
        tmp_path,
    )
    cases = json.loads(listed.stdout)
    assert len(cases) == 1000 and all(case["code"] for case in cases)
    assert not (tmp_path / "data").exists()


def test_an_editable_build_prints_no_setuptools_banner(tmp_path: Path) -> None:
    """`pip install -e .` showed setuptools' "meta path finder … be careful with folders"
    banner while console.seeds was a package-dir mapping: the build must choose a plain .pth."""
    source = tmp_path / "clone"
    _fresh_clone(source)
    build = "from setuptools import build_meta; import sys; build_meta.build_editable(sys.argv[1])"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | NO_NETWORK
    said = _run([sys.executable, "-c", build, str(tmp_path / "wheels")], env, source)
    out = said.stdout + said.stderr
    assert "meta path finder" not in out
    assert "Please be careful" not in out
