"""Execute the documentation, so that it cannot go stale.

Every page under ``docs/`` (and ``README.md``) is read as a sequence of fenced blocks,
run in order in a scratch directory where ``games/`` is the repository's ``games/``
and ``docs/images/`` is an empty folder (plots written by the docs land there, not in
the repository):

``console``
    Lines starting with ``$ `` are commands; the lines after each, up to the next
    command, are its expected output (stdout and stderr together). ``gametheory ...``
    runs in-process through click's test runner, at a 100-column terminal width;
    shell patterns are expanded as a shell would; any other command runs in a
    shell. Lines are compared with trailing blanks
    removed; a line holding only ``...`` matches any number of lines.
``python``
    Run in one namespace per page. A block with ``>>>`` prompts is a doctest
    (ELLIPSIS and NORMALIZE_WHITESPACE on).
``yaml file=NAME`` / ``toml file=NAME`` (any language with ``file=``)
    Written to NAME in the scratch directory before the blocks after it run.
``yaml`` / ``toml`` holding a whole game (``players`` and ``payoffs``)
    Must load; mark an intentionally broken example ``yaml invalid``, a part of a
    game ``yaml fragment``.

Everything else (``sh``, ``text``, ``json``, ...) is prose.

``python -m tests.doccheck --update docs/tutorial.md ...`` rewrites the expected output
of the console blocks in place (blocks containing ``...`` are left for a person).
"""

from __future__ import annotations

import contextlib
import doctest
import glob
import os
import re
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WIDTH = "100"  # terminal width the documented outputs are made at
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>```+|~~~+)(?P<info>.*)$")


@dataclass
class Block:
    page: Path
    line: int  # 1-based line of the opening fence
    info: str
    body: list[str]
    end: int  # 1-based line of the closing fence
    attrs: dict[str, str] = field(default_factory=dict)
    indent: int = 0  # blocks nested in lists are indented

    @property
    def lang(self) -> str:
        return self.info.split()[0] if self.info.split() else ""

    @property
    def flags(self) -> set[str]:
        return {w for w in self.info.split()[1:] if "=" not in w}

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def blocks(page: Path) -> list[Block]:
    """The fenced blocks of a markdown page, in order."""
    lines = page.read_text(encoding="utf-8").splitlines()
    out: list[Block] = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, indent = m["fence"], len(m["indent"])
        info = m["info"].strip()
        j = i + 1
        while j < len(lines) and not (lines[j].strip().startswith(fence) and lines[j].strip().strip(fence[0]) == ""):
            j += 1
        body = [ln[indent:] if ln[:indent].strip() == "" else ln for ln in lines[i + 1 : j]]
        attrs = dict(w.split("=", 1) for w in info.split()[1:] if "=" in w)
        out.append(Block(page, i + 1, info, body, j + 1, attrs, indent))
        i = j + 1
    return out


@dataclass
class Command:
    text: str
    expected: list[str]
    line: int


def commands(block: Block) -> list[Command]:
    out: list[Command] = []
    for k, ln in enumerate(block.body):
        if ln.startswith("$ "):
            out.append(Command(ln[2:].strip(), [], block.line + 1 + k))
        elif out:
            out[-1].expected.append(ln)
    return out


def _trim(lines: list[str]) -> list[str]:
    lines = [ln.rstrip() for ln in lines]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line-by-line equality, where a line ``...`` matches any run of lines."""
    exp, act = _trim(expected), _trim(actual)

    def go(i: int, j: int) -> bool:
        if i == len(exp):
            return j == len(act)
        if exp[i].strip() == "...":
            return any(go(i + 1, k) for k in range(j, len(act) + 1))
        return j < len(act) and exp[i] == act[j] and go(i + 1, j + 1)

    return go(0, 0)


def _resync(expected: list[str], actual: list[str]) -> list[str]:
    """For --update of a block with ``...``: take each documented line's current spacing.

    A documented line is matched, in order, to the next actual line with the same words;
    if every line is found the block keeps its ``...`` and gets the new spacing.
    """
    out, j = [], 0
    acts = _trim(actual)
    for line in expected:
        if line.strip() == "..." or not line.strip():
            out.append(line)
            continue
        words = line.split()
        while j < len(acts) and acts[j].split() != words:
            j += 1
        if j == len(acts):
            return expected
        out.append(acts[j])
        j += 1
    return out


def run_command(text: str, cwd: Path) -> tuple[list[str], int]:
    """Run one documented command; return its output lines and exit code."""
    argv = shlex.split(text)
    if argv and argv[0] == "gametheory" and not any(t in text for t in ("|", ">", "&&", ";")):
        from click.testing import CliRunner

        from gametheory.cli import main

        old = Path.cwd()
        os.chdir(cwd)
        try:
            argv = [a for arg in argv for a in (sorted(glob.glob(arg)) if glob.has_magic(arg) else [arg]) or [arg]]
            env = {"COLUMNS": WIDTH, "LINES": None, "NO_COLOR": "1"}
            result = CliRunner().invoke(main, argv[1:], env=env, catch_exceptions=True, prog_name="gametheory")
        finally:
            os.chdir(old)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            import traceback

            tb = "".join(traceback.format_exception(result.exception))
            raise AssertionError(f"`{text}` raised:\n{tb}")
        return result.output.splitlines(), result.exit_code
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(COLUMNS=WIDTH, NO_COLOR="1")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    proc = subprocess.run(
        text, shell=True, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, timeout=600
    )
    return proc.stdout.splitlines(), proc.returncode


@contextlib.contextmanager
def scratch():
    """A scratch directory with games/ linked in and an empty docs/images/."""
    with tempfile.TemporaryDirectory(prefix="gametheory-docs-") as tmp:
        here = Path(tmp)
        (here / "games").symlink_to(ROOT / "games", target_is_directory=True)
        (here / "docs" / "images").mkdir(parents=True)
        yield here


def _is_game(text: str, lang: str) -> bool:
    try:
        if lang == "toml":
            import tomllib

            data = tomllib.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except Exception:
        return lang in ("yaml", "toml") and "players" in text and "payoffs" in text
    return isinstance(data, dict) and "players" in data and "payoffs" in data


def check_page(page: Path, update: bool = False) -> list[str]:
    """Run every block of a page; return the failures (and rewrite outputs if ``update``)."""
    import gametheory as gt

    failures: list[str] = []
    rewrites: dict[int, list[str]] = {}  # fence line -> new body
    namespace: dict = {"__name__": "__docs__"}
    with scratch() as cwd:
        for block in blocks(page):
            if "file" in block.attrs:
                target = cwd / block.attrs["file"]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text("\n".join(block.body) + "\n", encoding="utf-8")
                if block.lang in ("yaml", "toml") and not block.flags & {"invalid", "fragment"}:
                    try:
                        gt.load(target)
                    except Exception as exc:  # noqa: BLE001 - reported as a doc failure
                        failures.append(f"{block.where}: file {block.attrs['file']} does not load: {exc}")
                continue
            if block.lang == "console":
                new_body: list[str] = []
                for cmd in commands(block):
                    try:
                        actual, code = run_command(cmd.text, cwd)
                    except AssertionError as exc:
                        failures.append(f"{page.relative_to(ROOT)}:{cmd.line}: {exc}")
                        new_body += [f"$ {cmd.text}", *cmd.expected]
                        continue
                    ellipsis = any(ln.strip() == "..." for ln in cmd.expected)
                    if ellipsis and update and not matches(cmd.expected, actual):
                        cmd.expected = _resync(cmd.expected, actual)
                    new_body += [f"$ {cmd.text}", *(cmd.expected if ellipsis else _trim(actual))]
                    if ellipsis and cmd.expected and not cmd.expected[-1].strip():
                        new_body.append("")
                    if not matches(cmd.expected, actual):
                        if update and not ellipsis:
                            continue
                        diff = "\n".join(
                            __import__("difflib").unified_diff(
                                _trim(cmd.expected), _trim(actual), "documented", "actual", lineterm=""
                            )
                        )
                        failures.append(f"{page.relative_to(ROOT)}:{cmd.line}: `{cmd.text}` (exit {code}):\n{diff}")
                if update:
                    rewrites[block.line] = new_body
            elif block.lang == "python":
                code = "\n".join(block.body)
                old = Path.cwd()
                os.chdir(cwd)
                try:
                    if any(ln.lstrip().startswith(">>> ") for ln in block.body):
                        test = doctest.DocTestParser().get_doctest(code, namespace, block.where, str(page), block.line)
                        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
                        out: list[str] = []
                        runner.run(test, out=out.append, clear_globs=False)
                        namespace.update(test.globs)
                        if runner.failures:
                            failures.append(f"{block.where}: doctest failed:\n{''.join(out)}")
                    else:
                        exec(compile(code, block.where, "exec"), namespace)  # noqa: S102 - our own docs
                except Exception as exc:  # noqa: BLE001 - reported as a doc failure
                    import traceback

                    failures.append(f"{block.where}: python block raised:\n{traceback.format_exc()}{exc!r}")
                finally:
                    os.chdir(old)
                    _close_figures()
            elif block.lang in ("yaml", "toml") and not block.flags & {"invalid", "fragment"}:
                text = "\n".join(block.body)
                if _is_game(text, block.lang):
                    try:
                        gt.loads(text, block.lang)
                    except Exception as exc:  # noqa: BLE001
                        failures.append(f"{block.where}: this {block.lang} game does not load: {exc}")
    if update and rewrites:
        lines = page.read_text(encoding="utf-8").splitlines()
        for start in sorted(rewrites, reverse=True):
            block = next(b for b in blocks(page) if b.line == start)
            pad = " " * block.indent
            lines[start : block.end - 1] = [pad + ln if ln else ln for ln in rewrites[start]]
        page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return failures


def _close_figures() -> None:
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def pages() -> list[Path]:
    return sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]


def main(argv: list[str]) -> int:
    update = "--update" in argv
    targets = [Path(a).resolve() for a in argv if not a.startswith("--")] or pages()
    bad = 0
    for page in targets:
        failures = check_page(page, update=update)
        for f in failures:
            print(f, file=sys.stderr)
        bad += len(failures)
        print(f"{page.relative_to(ROOT)}: {'ok' if not failures else f'{len(failures)} failing'}")
    return 1 if bad else 0


if __name__ == "__main__":
    os.environ.setdefault("MPLBACKEND", "Agg")
    raise SystemExit(main(sys.argv[1:]))


__all__ = ["blocks", "check_page", "commands", "matches", "pages", "shlex"]
