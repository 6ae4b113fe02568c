"""`python -m dlcourse.instructor.nbgrader_main ARGS` does what `nbgrader ARGS` does, 1.5-2 s sooner.

nbformat validates notebooks with jsonschema, and jsonschema imports `rfc3987_syntax` eagerly
for its "iri" format checker; that module compiles about 35 Lark parsers at import time (about
1.4 s on the course's 2-core machine, more than half of nbgrader's start-up). No notebook schema
uses the "iri" format. Grading starts one nbgrader process per student and lesson, so the import
is blocked here: jsonschema then leaves out that one checker and validates everything else as
before.
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)  # None in sys.modules makes `import` raise ImportError

from nbgrader.apps.nbgraderapp import main  # noqa: E402

if __name__ == "__main__":
    main()
