"""A student's ~/.jupyter/nbgrader_config.py on the hub: which course, and where its exchange is."""
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "@COURSE_ID@"
c.Exchange.root = "@EXCHANGE@"
