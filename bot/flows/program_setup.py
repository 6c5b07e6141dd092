"""Setting a program up in chat, without a YAML file.

program new                 a form (Slack modal, Teams dialog) or, in chat, one question at a time
program edit SLUG           the same, filled in with the program as it is
program show SLUG           the program as YAML, as ``tandem program add`` takes it

Tandem's admins (``TANDEM_ADMINS``) may add programs; a program's coordinators
(and the admins) may edit and show it. What is submitted goes through exactly
the validation of ``tandem program check``: the same errors, field by field.
The intake questions of a new program are the example program's (matching needs
them); a program may add its own free-text questions, one per line.

The fields and the form are :mod:`bot.flows.program_form`; checking and saving
what was submitted, :mod:`bot.flows.program_save`.
"""

from __future__ import annotations

from collections.abc import Sequence

import yaml

from bot import outbound as m
from bot.flow_names import FlowName
from bot.flows.program_form import SetupField, build_form, current_values, fields_for
from bot.flows.program_save import may_manage, submitted
from bot.model import Conversation, Program
from bot.program.loading import program_to_data
from bot.turn import Turn

_STOP = frozenset({"cancel", "stop", "quit", "later"})
_KEEP = frozenset({"keep", "ok", "same"})


def program_command(turn: Turn, args: str) -> None:
    """``program new``, ``program edit SLUG`` or ``program show SLUG``."""
    verb, _, rest = args.strip().partition(" ")
    slug = rest.strip().casefold()
    if verb.casefold() == "new":
        _new(turn)
    elif verb.casefold() in ("edit", "show"):
        program = _managed(turn, slug, verb.casefold())
        if program is not None and verb.casefold() == "edit":
            _start(turn, program)
        elif program is not None:
            _show(turn, program)
    else:
        turn.say(
            "Say “program new” to set up a program, “program edit SLUG” to change one, or "
            "“program show SLUG” to see one as YAML."
        )


def _new(turn: Turn) -> None:
    if not turn.is_admin:
        turn.say(
            "Only Tandem's admins can add programs (ask yours, or see TANDEM_ADMINS in the "
            "README). A program's coordinators can change it with “program edit”."
        )
        return
    _start(turn, None)


def _managed(turn: Turn, slug: str, verb: str) -> Program | None:
    program = turn.program(slug) if slug else None
    if program is None:
        mine = [p.slug for p in turn.programs() if may_manage(turn, p)]
        known = f" Yours: {', '.join(mine)}." if mine else ""
        turn.say(f"Say “program {verb} SLUG” with a program's short name.{known}")
        return None
    if not may_manage(turn, program):
        turn.say(f"Only {program.spec.name}'s coordinators and Tandem's admins can do that.")
        return None
    return program


def _show(turn: Turn, program: Program) -> None:
    text = yaml.safe_dump(program_to_data(program.spec), sort_keys=False, allow_unicode=True)
    turn.reply(
        m.para(f"{program.spec.name}, as YAML (“tandem program add FILE” takes it as it is):"),
        m.Code(text),
        summary=f"{program.spec.name} as YAML",
    )


def _start(turn: Turn, program: Program | None) -> None:
    if turn.event.surface.forms:
        turn.show_form(build_form(program))
        return
    turn.remember(
        Conversation(FlowName.SETUP, {"slug": program.slug if program else "", "values": {}})
    )
    _ask(turn, program, 0, _intro(program))


def _intro(program: Program | None) -> str:
    what = f"Changing {program.spec.name}" if program else "A new program"
    keep = ", “keep” to leave an answer as it is" if program else ""
    return (
        f"{what}: {len(fields_for(program))} questions. Reply “cancel” to stop{keep}. Lists "
        "take one item per line, or items separated by “ | ”."
    )


class SetupFlow:
    """The program form, asked a question at a time where no form can be shown."""

    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        slug = str(conversation.get("slug", ""))
        program = turn.program(slug) if slug else None
        values = dict(conversation.get("values") or {})
        fields = fields_for(program)
        index = len(values)
        if (slug and program is None) or index >= len(fields):
            turn.forget_conversation()
            turn.say("That program is gone; nothing was changed.")
            return
        word = text.strip().casefold()
        if word in _STOP:
            turn.forget_conversation()
            turn.say("Stopped; nothing was changed.")
            return
        field = fields[index]
        answer = _answer(field, program, text, word)
        if answer is None:
            turn.say(_choices_hint(field))
            return
        values[field.name] = answer
        if index + 1 < len(fields):
            turn.remember(Conversation(FlowName.SETUP, {"slug": slug, "values": values}))
            _ask(turn, program, index + 1)
            return
        self._finish(turn, program, slug, values)

    def _finish(
        self, turn: Turn, program: Program | None, slug: str, values: dict[str, str]
    ) -> None:
        submitted(turn, [slug], values)
        if not turn.form_errors:
            turn.forget_conversation()
            return
        # Ask again from the first field with a problem; keep the answers before it.
        errors = dict(turn.form_errors)
        turn.form_errors.clear()
        fields = fields_for(program)
        first = next((i for i, f in enumerate(fields) if f.name in errors), len(fields) - 1)
        kept = {f.name: values[f.name] for f in fields[:first]}
        turn.remember(Conversation(FlowName.SETUP, {"slug": slug, "values": kept}))
        problems = "; ".join(errors.values())
        _ask(turn, program, first, f"That doesn't work yet: {problems[:600]}")

    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        conversation = turn.conversation()
        if conversation is None or conversation.flow != FlowName.SETUP:
            turn.say("That question isn't open any more. Say “program new” to start again.")
            return
        self.on_text(turn, conversation, values[0] if values else "")


def _answer(field: SetupField, program: Program | None, text: str, word: str) -> str | None:
    if word in _KEEP and program is not None:
        return current_values(program).get(field.name, "")
    if field.optional and word == "skip":
        return ""
    if field.choices:
        by_label = {label.casefold(): value for value, label in field.choices}
        values = {value for value, _ in field.choices}
        picked = by_label.get(word, word if word in values else None)
        if picked is None and word.isdigit() and 1 <= int(word) <= len(field.choices):
            picked = field.choices[int(word) - 1][0]
        return picked
    return text.strip()[: field.max_length]


def _choices_hint(field: SetupField) -> str:
    return f"Please pick one: {', '.join(label for _, label in field.choices)}."


def _ask(turn: Turn, program: Program | None, index: int, preface: str = "") -> None:
    fields = fields_for(program)
    field = fields[index]
    blocks: list[m.Block] = [m.para(preface)] if preface else []
    blocks.append(m.para(m.Bold(f"{index + 1} of {len(fields)}. {field.label}")))
    if field.hint:
        blocks.append(m.Note(field.hint))
    current = current_values(program).get(field.name, "") if program else ""
    if current and not field.choices:
        blocks.append(m.Note(f"Now: {current.replace(chr(10), ' | ')[:300]} (“keep” keeps it)"))
    if field.choices:
        blocks.append(m.Buttons(FlowName.SETUP, m.options(*field.choices)))
    if field.optional:
        blocks.append(m.Note("Optional: reply “skip” to leave it out."))
    turn.reply(*blocks, summary=f"{field.label}?", kind="survey")
