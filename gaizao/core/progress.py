"""A progress line for long commands: one updating line on a terminal, a plain line every tenth on a pipe."""


class ProgressLine:
    """Call with (done, total, label); `describe` turns those into the text shown."""

    def __init__(self, out, describe):
        self.out = out
        self.describe = describe
        self.tty = out.isatty()
        self.shown = None
        self.label = None

    def __call__(self, done, total, label):
        if label != self.label:
            self.finish()
            self.shown, self.label = None, label
        text = self.describe(done, total, label)
        if self.tty:
            self.out.write("\r" + text + "\033[K", ending="")  # clear what a longer line left behind
            self.out.flush()
        elif self.shown is None or done == total or done - self.shown >= total / 10:
            self.out.write(text)
        self.shown = done

    def finish(self):
        if self.tty and self.shown is not None:
            self.out.write("")  # end the updating line
        self.shown = None
