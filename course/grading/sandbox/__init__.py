"""Sandboxed autograding: student cells in a jail, test cells in the grader, plain data between.

The folders are the trust boundary:
    jailed/   runs INSIDE the jail, in the student's kernel; with wire/ it is all the jail mounts
              boot.py (kernel entry: copy the submission in, install the agent), agent.py (serves
              the grader's requests with plain data)
    wire/     what both sides share and nothing else: codec.py (JSON + .npy, no pickle),
              sympy_tree.py, figure_summary.py, protocol.py (markers, WireError, portable formulas)
    grader/   the grader side: jail.py (bubblewrap, rlimits, cgroup), kernel.py (kernel manager over
              IPC sockets), settings.py (jail settings, warm kernels), run.py (one notebook's run),
              channel.py (requests and callbacks), remote.py (proxies; exceptions, warnings and side
              effects mirrored), trusted.py (test cells run here against the proxies)
The nbgrader step tying it together is course.grading.steps.sandboxed_execute.SandboxedExecute.
"""
