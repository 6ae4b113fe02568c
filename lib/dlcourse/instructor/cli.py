"""The `dlcourse` command: one subcommand for each step of an instructor's term.

    dlcourse release [LESSON ...]      regenerate lessons/ from solutions/ (nbgrader)
    dlcourse set-repo [URL]            rewrite the Colab cells and README badges
    dlcourse check-env                 the environment self-check of lesson 00

Run it in the course folder (the one holding nbgrader_config.py), or pass --course.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import course


def _course_root(value: str | None) -> Path:
    root = Path(value or ".").resolve()
    if not (root / "nbgrader_config.py").is_file():
        raise SystemExit(f"dlcourse: {root} is not a course folder (no nbgrader_config.py); "
                         "run in the course folder or pass --course DIR")
    return root


def cmd_release(args) -> int:
    from .release import generate

    root = _course_root(args.course)
    output = Path(args.output).resolve() if args.output else root / "lessons"
    for folder in generate(root, output, args.lessons or None):
        print(f"generated {folder.relative_to(output.parent) if output.parent in folder.parents else folder}")
    return 0


def cmd_set_repo(args) -> int:
    from .repo import set_repository

    root = _course_root(args.course)
    changed = set_repository(root, args.url)
    for path in changed:
        print(f"updated {path.relative_to(root)}")
    print("run `make lessons` to regenerate the student versions" if changed else "everything already up to date")
    return 0


def cmd_check_env(args) -> int:
    from .. import envcheck

    return 0 if envcheck.report() else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dlcourse", description="Course and grading tooling of the deep-learning course.")
    parser.add_argument("--course", help="course folder (default: the current folder)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("release", help="regenerate the student versions (lessons/) from solutions/")
    p.add_argument("lessons", nargs="*", help="lesson folders, e.g. 01_sigmoid_node (default: all)")
    p.add_argument("--output", help="write to this folder instead of lessons/")
    p.set_defaults(func=cmd_release)

    p = sub.add_parser("set-repo", help="point the Colab cells and README badges at a repository")
    p.add_argument("url", nargs="?", default=course.REPOSITORY,
                   help=f"repository URL (default: dlcourse.course.REPOSITORY = {course.REPOSITORY})")
    p.set_defaults(func=cmd_set_repo)

    p = sub.add_parser("check-env", help="check that everything the course needs is installed")
    p.set_defaults(func=cmd_check_env)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
