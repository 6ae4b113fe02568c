"""The `dlcourse` command: one subcommand for each step of an instructor's term.

    dlcourse release [LESSON ...] [--zip FILE]   regenerate lessons/ from solutions/ (nbgrader)
    dlcourse collect SOURCE            take in submissions (folder or .zip, LMS/browser names)
    dlcourse autograde LESSON          grade a class: isolated, sandboxed, tamper-resistant
    dlcourse autograde --all           every lesson of every student, one class report
    dlcourse feedback LESSON           per-student feedback without hidden tests
    dlcourse export [--output CSV]     grades of every lesson as CSV
    dlcourse export-autograder LESSON --target gradescope|prairielearn   grade on those services
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
    folders = generate(root, output, args.lessons or None)
    for folder in folders:
        print(f"generated {folder.relative_to(output.parent) if output.parent in folder.parents else folder}")
    if args.zip:
        import zipfile
        target = Path(args.zip).resolve()
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
            for folder in folders:
                for path in sorted(folder.rglob("*")):
                    if path.is_file() and ".ipynb_checkpoints" not in path.parts:
                        z.write(path, path.relative_to(folder.parent).as_posix())
        print(f"wrote {target}")
    return 0


def _db(args, root: Path) -> str:
    from .autograde import default_db, normalize_db_url
    return normalize_db_url(args.db) if args.db else default_db(root)


def cmd_collect(args) -> int:
    from .collect import collect

    root = _course_root(args.course)
    mapped, unmapped = collect(root, Path(args.source), Path(args.student_map) if args.student_map else None)
    print(f"{len(mapped)} notebooks collected, {len(unmapped)} not mapped")
    return 0 if mapped or not unmapped else 1


def cmd_autograde(args) -> int:
    from .autograde import autograde, autograde_lessons
    from .sandbox import SandboxUnavailable

    root = _course_root(args.course)
    if bool(args.all) == bool(args.lesson):
        raise SystemExit("dlcourse autograde: name one lesson, or --all for every lesson")
    options = dict(workers=args.workers, timeout=args.timeout, sandbox=not args.no_sandbox, db_url=_db(args, root),
                   memory_mb=args.memory_mb, figures=args.figures, cache=not args.no_cache)
    try:
        if args.all:
            lessons = sorted(d.name for d in (root / "solutions").iterdir() if (d / f"{d.name}.ipynb").is_file())
            rows = autograde_lessons(root, lessons, args.student or None, course_report=True, **options)
            if not any(rows.values()):
                print("no submissions in submitted/")
            return 0
        rows = autograde(root, args.lesson, args.student or None, **options)
    except SandboxUnavailable as exc:
        print(f"dlcourse: {exc}", file=sys.stderr)
        return 2
    if not rows:
        print(f"no submissions of {args.lesson} in submitted/")
    return 0


def cmd_feedback(args) -> int:
    from .feedback import feedback

    root = _course_root(args.course)
    out = feedback(root, args.lesson, _db(args, root), args.student or None)
    print(f"feedback in {out}")
    return 0


def cmd_export(args) -> int:
    from .export import export

    root = _course_root(args.course)
    print(f"wrote {export(root, Path(args.output), _db(args, root))}")
    return 0


def cmd_export_autograder(args) -> int:
    from .export_autograder import export

    root = _course_root(args.course)
    written, plan = export(root, args.lesson, args.target, Path(args.output) if args.output else None, image=args.image)
    print(f"wrote {written}")
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
    p.add_argument("--zip", help="also write the generated lessons to this zip (to upload to an LMS)")
    p.set_defaults(func=cmd_release)

    p = sub.add_parser("collect", help="take in submissions from a folder or .zip into submitted/")
    p.add_argument("source", help="folder or .zip as downloaded from an LMS")
    p.add_argument("--student-map", help="CSV with columns key,student mapping LMS names/ids to student ids")
    p.set_defaults(func=cmd_collect)

    p = sub.add_parser("autograde", help="grade every submission of a lesson (see docs/grading.md)")
    p.add_argument("lesson", nargs="?")
    p.add_argument("--all", action="store_true", help="grade every lesson of every student, with one class report")
    p.add_argument("--figures", action="store_true",
                   help="draw the notebooks' figures while grading (off by default: figures are not graded)")
    p.add_argument("--no-cache", action="store_true",
                   help="time the solutions again instead of using the cached times (.dlcourse-cache/)")
    p.add_argument("--student", action="append", help="grade only this student (repeatable)")
    p.add_argument("--workers", type=int, default=1, help="students graded in parallel (default 1)")
    p.add_argument("--timeout", type=int, default=None, help="seconds one cell may run (default: nbgrader_config.py)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="run student code without bubblewrap (it can then read solutions/ and the gradebook)")
    p.add_argument("--memory-mb", type=int, default=4096, help="address-space limit of a grading kernel, 0 = none")
    p.add_argument("--db", help="gradebook URL (default sqlite:///gradebook.db in the course folder)")
    p.set_defaults(func=cmd_autograde)

    p = sub.add_parser("feedback", help="per-student feedback HTML without hidden tests")
    p.add_argument("lesson")
    p.add_argument("--student", action="append")
    p.add_argument("--db", help="gradebook URL")
    p.set_defaults(func=cmd_feedback)

    p = sub.add_parser("export", help="export all grades to CSV")
    p.add_argument("--output", default="grades.csv")
    p.add_argument("--db", help="gradebook URL")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("export-autograder", help="a lesson as a Gradescope autograder zip or a PrairieLearn question")
    p.add_argument("lesson")
    p.add_argument("--target", required=True, choices=["gradescope", "prairielearn"])
    p.add_argument("--output", help="zip (gradescope) or folder (prairielearn) to write (default: autograders/)")
    p.add_argument("--image", default="dlcourse/grader:latest", help="PrairieLearn: the grading image's name")
    p.set_defaults(func=cmd_export_autograder)

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
