"""Pipeline steps nbgrader loads by name from ``nbgrader_config.py``: one small class per step."""
