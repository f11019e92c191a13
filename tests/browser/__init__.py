"""Helpers for the end-to-end tests that drive JupyterLab + nbgrader in headless Chromium."""
