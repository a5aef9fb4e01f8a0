"""Command-line lines in Chinese and English at once: a newcomer running `make demo` may read either.

`both("Loaded %(n)s communities.") % {"n": 390}` keeps the message id and its values; `BilingualOutput` writes
it as the Chinese line followed by the English one, indented. Values may themselves be `both(...)` or callables
taking nothing (e.g. a date formatted in the language being written).
"""

from django.utils import translation

LANGUAGES = ("zh-hans", "en")


class both:  # noqa: N801 - used like gettext's `_`
    def __init__(self, message: str, params=None):
        self.message = message
        self.params = params

    def __mod__(self, params):
        return both(self.message, params)

    def render(self, language: str) -> str:
        with translation.override(language):
            text = translation.gettext(self.message)
            if self.params is None:
                return text
            if isinstance(self.params, dict):
                return text % {key: _value(value, language) for key, value in self.params.items()}
            return text % _value(self.params, language)

    def __str__(self):
        return self.render(translation.get_language() or LANGUAGES[0])


def _value(value, language):
    if isinstance(value, both):
        return value.render(language)
    if callable(value):
        with translation.override(language):
            return value()
    return value


class BilingualOutput:
    """Wraps a command's stdout: a `both` message is written in Chinese, then in English; anything else as is."""

    def __init__(self, stdout):
        self.stdout = stdout

    def write(self, message="", *args, **kwargs):
        if isinstance(message, both):
            first, second = (message.render(language) for language in LANGUAGES)
            self.stdout.write(first, *args, **kwargs)
            if second != first:
                self.stdout.write("  " + second, *args, **kwargs)
            return
        self.stdout.write(message, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.stdout, name)
