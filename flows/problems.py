"""The error of a file a person wrote (a sources file, a directory of associations) that cannot be used."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


class FileProblems(Exception):
    """Every problem found in one pass, each naming the file, the line and the fix."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = str(path)
        self.problems = problems
        super().__init__("\n".join(problems))


def read_user_file(path: Path, error: type[FileProblems], missing_hint: str, *,
                   too_large: Callable[[Path, int], str | None] | None = None) -> str:
    """The text of a file a person wrote, or `error` naming why it cannot be read and what to do."""
    try:
        if too_large is not None and (problem := too_large(path, path.stat().st_size)):
            raise error(path, [problem])
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(path, [f"{path}: no such file; {missing_hint}"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(path, [f"{path}: cannot read it ({exc})"]) from None
