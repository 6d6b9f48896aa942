from audit import log  # noqa: F401
