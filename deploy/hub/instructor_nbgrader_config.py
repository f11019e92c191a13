"""The instructor's course on the hub: the course's own configuration, rooted here, shared exchange.

deploy/hub/setup.sh copies the repository's nbgrader_config.py beside this file as
course_config.py and writes this file with the exchange filled in.
"""
import os

c = get_config()  # noqa: F821
HERE = os.path.dirname(os.path.abspath(__file__))
load_subconfig(os.path.join(HERE, "course_config.py"))  # noqa: F821
c.CourseDirectory.root = HERE
c.Exchange.root = "@EXCHANGE@"
