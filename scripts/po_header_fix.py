"""makemessages marks the catalogue header fuzzy; msgfmt then ignores its Plural-Forms. Clear that flag."""

import sys

for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    head, sep, rest = text.partition('msgid ""\n')
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(head.replace("#, fuzzy\n", "") + sep + rest)
