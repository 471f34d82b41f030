"""The error of a file a person wrote (a sources file, a directory of associations) that cannot be used."""

from __future__ import annotations

from pathlib import Path


class FileProblems(Exception):
    """Every problem found in one pass, each naming the file, the line and the fix."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = str(path)
        self.problems = problems
        super().__init__("\n".join(problems))
