"""What Mautic stores for a submitted text value: its form cleaning, predicted.

Mautic does not store what it is sent. Every API write goes through the entity's
Symfony form (mautic-api.md §1.3), which changes text values in two steps:

1. ``CleanFormSubscriber`` filters the whole submission first. Fields it is told are
   HTML (``description`` for point groups) go through ``InputHelper::html``; every
   other field goes through Mautic's default ``clean`` filter (Joomla's
   ``InputFilter``), which **decodes HTML entities and strips tags**, so ``A &amp; B``
   is stored as ``A & B`` and ``<b>x</b>`` as ``x``.
2. The text field itself **trims** surrounding whitespace (the ``trim`` option of
   Symfony's ``TextType``/``TextareaType``, on by default), and an empty result is
   stored as ``null``.

:func:`stored_form` applies these rules, so the client can compare what it wants with
what Mautic holds (``sync`` matches keys and compares values through it) and can count
lengths the way the database will (see :func:`mautic_async._validation.max_length`).

UNVERIFIED (mautic-api.md §1.3 names the filters, not their exact output). The reading
chosen is the emulator's (``mautic_async.testing._entities._submitted_text``), which
keeps its own copy of these rules because it imports nothing from the client; a test
feeds one corpus through both and checks that they agree. In detail:

* ``clean``: ``html.unescape`` (named, decimal and hex entities; ``&nbsp;`` becomes
  U+00A0), then every ``<...>`` run is removed (``<[^>]*>``: an unclosed ``<b`` stays,
  ``<b<i>>x`` leaves ``>x``), so an escaped tag such as ``&lt;b&gt;`` is removed too;
* ``html``: kept as sent (only trimmed);
* trimming removes Unicode whitespace at both ends (Python's ``str.strip``), which
  includes non-breaking spaces and the other ``\\pZ`` separators, as Symfony's
  ``StringUtil::trim`` does. Symfony also trims control and format characters (such
  as a zero-width space) that ``str.strip`` keeps; both copies keep them, a known gap.
"""

from __future__ import annotations

import html
import re
from typing import Any

__all__ = ["HTML_FIELDS", "stored_form"]

#: Wire field names Mautic's forms filter as HTML (kept as sent) instead of ``clean``.
HTML_FIELDS = frozenset({"description"})

_TAG = re.compile(r"<[^>]*>")


def stored_form(field: str, value: Any) -> Any:
    """The value Mautic stores when ``value`` is submitted for wire field ``field``.

    Strings are cleaned (entities decoded and tags stripped unless ``field`` is in
    :data:`HTML_FIELDS`), then trimmed; a string left empty becomes ``None``, as Mautic
    stores ``""`` as null. Anything that is not a string is returned unchanged.

    >>> stored_form("name", "  A &amp; <b>B</b> ")
    'A & B'
    >>> stored_form("description", " <p>kept</p> ")
    '<p>kept</p>'
    >>> stored_form("name", "<b></b>") is None
    True
    """
    if not isinstance(value, str):
        return value
    text = value if field in HTML_FIELDS else _TAG.sub("", html.unescape(value))
    return text.strip() or None
