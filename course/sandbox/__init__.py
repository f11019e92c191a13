"""Sandboxed autograding: student cells in a jail, test cells in the grader, plain data between.

Module map (the flow of one notebook):
    jail.py        bubblewrap + rlimits + cgroup around the kernel
    kernel.py      kernel manager that starts the kernel in the jail over IPC sockets
    boot.py        kernel entry point inside the jail (copies the submission, installs the agent)
    agent.py       sandbox side: serves the grader's requests with plain data
    codec.py       the wire format (JSON + .npy, no pickle); sympy_tree.py for SymPy
    channel.py     grader side: requests and callbacks over the Jupyter protocol
    remote.py      proxies for student objects, exceptions/warnings/side effects mirrored
    trusted.py     runs test cells in the grader against those proxies
    executor.py    SandboxedExecute, the nbgrader preprocessor tying it together
    status.py      the per-notebook grading status (errors and reasons)
"""
