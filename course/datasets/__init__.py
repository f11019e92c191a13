"""Scripts that build the data files shipped with assignments, from PyPI packages."""
