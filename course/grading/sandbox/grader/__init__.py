"""The grader side of the sandbox: the jail, its kernel, the channel to it, proxies, trusted cells."""
