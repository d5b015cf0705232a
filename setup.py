"""Copies the files the tool reads at run time into the wheel (see generator/resources.py).

The checkout keeps one copy of each (protocols/, docs/, site_overrides/, mkdocs.yml, package.json) at the
top, where editors and reviewers expect them; the wheel carries them under generator/shipped/ so that an
installed `guidance` never reads from a source checkout. Metadata lives in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = ("protocols", "docs", "site_overrides", "mkdocs.yml", "package.json")  # as generator.resources


class BuildWithShippedFiles(build_py):
    def run(self):
        super().run()
        here = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "generator" / "shipped"
        shutil.rmtree(target, ignore_errors=True)
        for name in SHIPPED:
            source = here / name
            if source.is_dir():
                shutil.copytree(source, target / name)
            elif source.is_file():
                target.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target / name)
            else:
                raise SystemExit(f"setup.py: {source} is missing; the wheel would not work without it")


setup(cmdclass={"build_py": BuildWithShippedFiles})
