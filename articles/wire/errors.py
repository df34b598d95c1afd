"""What the wire format says of text it cannot carry."""


class WireFormatError(ValueError):
    """The text is not wire copy we can archive faithfully; `line` is where, if known."""

    def __init__(self, message, line=None):
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)
