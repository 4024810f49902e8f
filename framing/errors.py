"""The errors framing raises for bad input and bad model folders; the CLI prints them as one line."""


class FramingError(Exception):
    """Base class: a problem the user can fix, described in one line."""


class InputError(FramingError):
    """An article, corpus or option that cannot be used."""


class ModelError(FramingError):
    """A model folder that is missing files, corrupt, or does not match the label schema."""
