"""nbgrader configuration of the course (used by `nbgrader ...` and by `dlcourse ...`).

The course keeps nbgrader's layout but renames two folders: the instructor versions
live in `solutions/` (nbgrader's *source*) and the generated student versions in
`lessons/` (nbgrader's *release*). Submissions, autograded notebooks, feedback and the
gradebook stay in nbgrader's default places (`submitted/`, `autograded/`, `feedback/`,
`gradebook.db`), all ignored by git.
"""

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "dlcourse"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "lessons"

# Long training in a lesson has a cheap path when NBGRADER_EXECUTION is set; this
# bound still stops a runaway cell (an infinite loop in a submission) per cell.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True
# Read kernel replies in short polls: a missed wake-up in pyzmq otherwise holds a finished cell
# for the whole timeout (see lib/dlcourse/kernel_client.py). Kernels are shut down at once.
c.AsyncKernelManager.client_class = "dlcourse.kernel_client.QuickKernelClient"
c.Execute.shutdown_kernel = "immediate"

# A test cell fails when it raises, not when a library prints a warning to stderr
# (TensorFlow's CUDA notice, a DeprecationWarning): drop every stderr stream before
# grades are decided. Failed assertions are `error` outputs and still score 0.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"[\s\S]*"

# The stub that replaces each solution region in the student version.
c.ClearSolutions.code_stub = {
    "python": "# YOUR CODE HERE\nraise NotImplementedError()",
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
