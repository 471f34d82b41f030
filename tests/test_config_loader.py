"""The sources file's loader against hostile YAML: alias bombs and loops, duplicate keys, huge files."""

from __future__ import annotations

import subprocess
import sys

import pytest

from eventscout.flows import config as config_module
from eventscout.flows.config import ConfigError, load_config, parse_config

GOOD_SOURCE = "  - id: eng\n    name: Engineers\n    url: https://eng.example/events\n"


def alias_bomb(levels: int = 9) -> str:
    """The "billion laughs" in YAML: nine levels of nine aliases each, 28 lines, 9**9 values."""
    lines = ['lol: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        lines.append(f"lol{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    return "sources:\n" + GOOD_SOURCE + "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_and_says_why():
    with pytest.raises(ConfigError) as caught:
        parse_config(alias_bomb())
    assert "aliases (*name) expand to" in caught.value.problems[0]
    assert "write the values out or use fewer aliases" in caught.value.problems[0]


def test_an_alias_bomb_gets_exit_2_from_validate(tmp_path):
    bomb = tmp_path / "sources.yaml"
    bomb.write_text(alias_bomb())
    done = subprocess.run([sys.executable, "-m", "eventscout.flows.cli", "validate", "--sources", str(bomb)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "expand to" in done.stdout + done.stderr


def test_an_alias_loop_is_refused():
    with pytest.raises(ConfigError, match="contains it .a loop."):
        parse_config("sources: &all\n  - *all\n")


def test_a_reused_list_of_industries_is_fine():
    config = parse_config("sources:\n" + "".join(
        f"  - id: s{i}\n    name: S{i}\n    url: https://s{i}.example/\n"
        f"    industries: {'&ind [engineering, marketing]' if i == 0 else '*ind'}\n" for i in range(50)))
    assert len(config.sources) == 50
    assert all(s.industries == ["engineering", "marketing"] for s in config.sources)


def test_duplicate_keys_are_an_error_naming_both_lines():
    text = ("sources:\n  - id: eng\n    name: Engineers\n    url: https://eng.example/events\n"
            "    name: Engineering Society\nfeeds: []\nfeeds: []\n")
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "sources.yaml")
    assert caught.value.problems == [
        "sources.yaml:5: duplicate key 'name', first at line 3; YAML would keep only the last: remove or rename one",
        "sources.yaml:7: duplicate key 'feeds', first at line 6; YAML would keep only the last: remove or rename one",
    ]


def test_a_file_over_the_size_cap_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(config_module, "MAX_FILE_BYTES", 1024)
    big = tmp_path / "sources.yaml"
    big.write_text("sources:\n" + GOOD_SOURCE + "# padding\n" * 200)
    with pytest.raises(ConfigError, match=r"MiB a sources file may be; split it"):
        load_config(big)
    assert config_module.MAX_FILE_BYTES == 1024
    monkeypatch.undo()
    assert config_module.MAX_FILE_BYTES >= 16 * 1024 * 1024
    assert len(load_config(big).sources) == 1


def test_a_missing_or_unreadable_sources_file_names_the_file_and_the_fix(tmp_path):
    with pytest.raises(ConfigError, match=r"nope\.yaml: no such file; pass --sources PATH or create it"):
        load_config(tmp_path / "nope.yaml")
    broken = tmp_path / "latin1.yaml"
    broken.write_bytes(b"sources: []\n# caf\xe9\n")
    with pytest.raises(ConfigError, match=r"latin1\.yaml: cannot read it"):
        load_config(broken)
