"""Instructor tooling: release student versions, take in submissions, autograde a class,
write feedback and export grades, all by driving nbgrader (CLI: `dlcourse --help`)."""
