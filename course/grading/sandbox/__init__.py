"""Sandboxed autograding: student cells in a jail, test cells in the grader, plain data between.

The folders are the trust boundary:
    jailed/   runs INSIDE the jail, in the student's kernel; with wire/ it is all the jail mounts
              boot.py (kernel entry: copy the submission in, install the agent), zygote.py (one
              process per grader that imports the kernel's libraries once and forks each kernel into
              a jail of its own; namespaces.py its Linux calls), agent.py (serves
              the grader's requests with plain data), link.py (its end of a test cell's socket),
              global_rng.py and unchanged.py (what a call changed, cheaply)
    wire/     what both sides share and nothing else: codec.py (JSON + .npy, no pickle),
              sympy_tree.py, figure_summary.py, protocol.py (the channel protocol, WireError, portable formulas)
    grader/   the grader side: jail.py (bubblewrap, rlimits, cgroup), zygote.py (starts the zygote, asks
              it for kernels, holds each as a process handle), kernel.py (kernel manager over
              IPC sockets; interrupts the kernel itself), kernel_client.py (waits that survive a missed
              wake-up), jail_cpu.py (the jail's CPU clock, read from /proc), settings.py (jail
              settings, warm kernels), run.py (one notebook's run), waits.py (the grader's own waits
              around a cell, noted), copy_back.py (files the notebook wrote), cgroups.py,
              channel.py (requests and callbacks) over link.py (a socket per test cell), remote.py
              (proxies; exceptions, warnings and side effects mirrored), trusted.py (test cells run here
              against the proxies) with batching.py (a comprehension of identical calls as one request)
              and cell_streams.py (a cell's output and nothing of the grader's)
The nbgrader step tying it together is course.grading.steps.sandboxed_execute.SandboxedExecute.
"""
