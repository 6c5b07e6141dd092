"""The README parser itself (tests/cli/readme_parsing.py), on a sample: continuations
joined, comments dropped, inline commands found; ``[optional]`` parts run without
and with each choice; a stale substitution reported."""

from __future__ import annotations

import pytest

from tests.cli.readme_parsing import optional_variants, readme_commands, substitute

SAMPLE = """\
Intro with `make demo` and `.venv/bin/tandem serve
--socket-mode`, a path `tandem/cli.py` and a chat command `join [program]`.

```sh
echo one   # a comment
printf 'a # not a comment\\n' \\
  | cat   # after a continuation
```

```
round engineering-growth preview
```

```python
print("not shell")
```
"""


def test_the_parser_joins_continuations_drops_comments_and_finds_inline_commands() -> None:
    found = [(command.text, command.line, command.block) for command in readme_commands(SAMPLE)]
    assert found == [
        ("echo one", 5, "block@5"),
        ("printf 'a # not a comment\\n' | cat", 6, "block@5"),
        ("make demo", 1, "inline@1"),
        (".venv/bin/tandem serve --socket-mode", 1, "inline@1"),
    ]


def test_optional_parts_are_run_without_and_with_each_choice() -> None:
    assert optional_variants("x --in f [--seed N] [--format a|b]") == [
        "x --in f",
        "x --in f --seed N --format a",
        "x --in f --seed N --format b",
    ]
    assert optional_variants("x --in f") == ["x --in f"]


def test_a_stale_substitution_is_reported() -> None:
    with pytest.raises(LookupError, match="update its entry in COMMANDS"):
        substitute("tandem serve", (("<ID>", "x"),))
