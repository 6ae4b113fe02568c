"""Instructor tooling: release student versions, take in submissions, autograde a class,
write feedback and export grades, all by driving nbgrader (CLI: `dlcourse --help`).

Every instructor tool reads notebooks with nbformat, whose jsonschema imports `rfc3987_syntax` for its
"iri" format checker: about 35 parsers compiled at import, 2.4 s of every command's start on the course's
2-core machine. No notebook schema uses that format, so the import is blocked (as in `nbgrader_main`):
jsonschema leaves out that one checker and validates everything else as before.
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)  # None in sys.modules makes `import` raise ImportError
