"""Survey questions as data: one class per kind of question, no ladders of ifs.

A program's YAML lists its questions; each entry becomes one of the kinds in
``kinds`` (chosen by ``kind``). Every kind knows how to ask itself in chat, how to
appear in a form, how to read an answer typed as text or picked from options, and
how to show a stored answer. ``question`` holds what all kinds share; ``choices``,
``written`` and ``colleagues`` the kinds themselves.
"""
