"""The check every e-mail test shares: each placeholder filled, the secretariat as Reply-To, the right language."""

from __future__ import annotations

import re

from django.conf import settings

# Words that give a text away as the other language (the e-mails greet, address and explain in full sentences).
OTHER_LANGUAGE = {
    "de": re.compile(r"\b(Hello|the|you|your|please)\b"),
    "en": re.compile(r"\b(Guten Tag|Sie|Ihr|Ihre|der|die|das|bitte)\b"),
}
# Left-overs of a template or a format string, or a value that was missing when it was rendered.
LEFT_OVER = ("None", "{{", "}}", "{%", "%}", "%(", "%s", "%d", "()", '""', "„“")
# A blank where a value belongs: "zum  in", "Hello ,", "am .".
EMPTY_VALUE = re.compile(r"\S {2,}\S| [,.;:!?]")


def assert_mail_complete(message, *, language: str, to: list[str] | None = None) -> None:
    assert message.reply_to == [settings.SECRETARIAT_EMAIL], message.reply_to
    if to is not None:
        assert message.to == to, message.to
    for part, text in (("subject", message.subject), ("body", message.body)):
        assert text.strip(), f"empty {part}"
        for left_over in LEFT_OVER:
            assert left_over not in text, (part, left_over, text)
        for line in text.splitlines():
            assert not EMPTY_VALUE.search(line), (part, line)
        other = OTHER_LANGUAGE[language].search(text)
        assert other is None, (part, language, other and other.group(0), text)
