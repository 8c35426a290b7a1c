"""The error a bad scenario raises: the command line's message, and where it points."""


class ScenarioError(ValueError):
    """The scenario (or a `set=`/`unset=` override) is invalid.

    ``str(e)`` is what ``hybridsim validate`` prints: ``file:line:col: key: what is wrong;
    what is accepted``. ``e.file`` is the file (or the override, e.g. ``--set
    world.fees.share=2``), ``e.line`` and ``e.col`` are 1-based (None for an override),
    ``e.message`` is the text after the location.
    """

    def __init__(self, text, file=None, line=None, col=None, message=None):
        super().__init__(text)
        self.file = file
        self.line = line
        self.col = col
        self.message = message if message is not None else text
