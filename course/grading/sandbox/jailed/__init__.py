"""Code that runs inside the jail, in the student's kernel. With ``wire/`` it is all the jail mounts."""
