"""Recognition: ``kudos @person what they did`` and a coordinator's ``spotlight``.

A kudos reaches its person privately (a direct message from Tandem, in their
working hours, naming who sent it). It is shared in the program's channel as a
spotlight only when both agree: the sender is asked in the reply to their kudos,
the person who got it in the kudos itself; whoever answers second (with a yes from
the other) posts it. Nobody is told that the other said no: it simply stays
private. A coordinator's spotlight of a pair's story asks both members the same
way and is posted when both say yes. Each person may send a few kudos a week (the
program's ``recognition.kudos_per_week``); nothing ranks people by kudos, and the
report shows counts only.

kudos:ID   yes / no   (consent to share, from whoever it needs)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot import outbound as m
from bot.cadence.calendar import week_of
from bot.cadence.recognition_content import words
from bot.cadence.sender import Sender
from bot.flow_names import FlowName
from bot.flows.colleagues import someone_and_words
from bot.flows.menus import choose, split_program
from bot.model import Conversation, MatchStatus, Person, Program, Status
from bot.recognition import Kind, Recognition
from bot.router import padded
from bot.text import one_line
from bot.turn import Turn

ACTION = FlowName.KUDOS
_TAKING_PART = (Status.ACTIVE, Status.PAUSED)


def kudos(turn: Turn, args: str) -> None:
    """``kudos [program] @person what they did``."""
    named, rest = split_program(turn, args)
    mine = {
        e.program_id
        for e in turn.uow.enrolments.of_person(turn.person.id)
        if e.status in _TAKING_PART
    }
    candidates = [p for p in turn.programs() if p.id in mine or _coordinates(turn, p)]
    if named is not None and named not in candidates:
        turn.say(f"You're not taking part in {named.spec.name}, so you can't send kudos there.")
        return
    if not candidates:
        turn.say(words().kudos.no_program)
        return
    parsed = someone_and_words(turn, rest, words().kudos.usage)
    if parsed is None:
        return
    (receiver,), said = parsed
    if receiver.id == turn.person.id:
        turn.say(words().kudos.yourself)
        return
    # Of the sender's programs, those the person takes part in too.
    shared = [p for p in candidates if _takes_part(turn, p, receiver)] or candidates
    program = choose(turn, named, shared, ACTION, rest)
    if program is None:
        return
    _send(turn, program, receiver, said)


def _send(turn: Turn, program: Program, receiver: Person, said: str) -> None:
    w = words().kudos
    name = receiver.display_name
    if not _takes_part(turn, program, receiver):
        turn.say(w.not_in_program.format(name=one_line(name), program=program.spec.name))
        return
    if not said:
        turn.say(w.words.format(name=one_line(name), handle=receiver.user_id))
        return
    allowed = program.spec.recognition.kudos_per_week
    sent = turn.uow.recognitions.sent_since(program.id, turn.person.id, _week_start(turn, program))
    if sent >= allowed:
        turn.say(w.allowance.format(count=sent, program=program.spec.name))
        return
    given = turn.uow.recognitions.add(
        turn.workspace.id,
        program.id,
        Kind.KUDOS,
        turn.person.id,
        receiver.id,
        None,
        said,
        turn.now,
    )
    send = Sender.live(turn.uow, program, turn.now, turn.capabilities)
    send.direct(receiver, received(program, turn.person, given), f"kudos{given.id}", budgeted=False)
    blocks: list[m.Block] = [m.para(w.sent.format(name=name))]
    if program.spec.channel:
        blocks += [
            m.para(w.ask_giver.format(program=program.spec.name, name=name)),
            _buttons(given),
        ]
    turn.reply(*blocks, summary=w.sent.format(name=name), kind="kudos")


def received(program: Program, giver: Person, given: Recognition) -> m.Message:
    """The kudos as its person gets it: who sent it, their words, and (where the
    program has a channel) whether it may be shared."""
    w = words().kudos
    blocks: list[m.Block] = [
        m.para(m.Bold(w.received), " from ", m.Mention(giver.user_id), f" ({program.spec.name}):"),
        m.para(given.words),
    ]
    if program.spec.channel:
        blocks += [m.para(w.ask_receiver.format(program=program.spec.name)), _buttons(given)]
    return m.Message(tuple(blocks), f"Kudos from {giver.display_name}", kind="kudos")


def _buttons(given: Recognition) -> m.Buttons:
    w = words().kudos
    return m.Buttons(
        f"{ACTION}:{given.id}", (m.Option("yes", w.yes, "primary"), m.Option("no", w.no))
    )


def _week_start(turn: Turn, program: Program) -> datetime:
    enrolment = turn.uow.enrolments.get(program.id, turn.person.id)
    zone = turn.uow.answers.of(enrolment.id).get("timezone") if enrolment else None
    return week_of(turn.now, zone if isinstance(zone, str) else "UTC")[0]


def spotlight(turn: Turn, args: str) -> None:
    """``spotlight [program] @a @b their story``: asks both; posted when both agree."""
    w = words().spotlight
    named, rest = split_program(turn, args)
    managed = turn.coordinated()
    if not managed or (named is not None and named not in managed):
        turn.say("Only a program's coordinators can do that.")
        return
    parsed = someone_and_words(turn, rest, w.usage, count=2)
    if parsed is None:
        return
    (first, second), story = parsed
    if first.id == second.id:
        turn.say(w.twice)
        return
    if not story:
        turn.say(w.story)
        return
    program = choose(turn, named, managed, "spotlight", rest)
    if program is None:
        return
    name = program.spec.name
    if not program.spec.channel:
        turn.say(w.no_channel.format(program=name))
        return
    if not _paired(turn, program, first, second):
        first_name, second_name = one_line(first.display_name), one_line(second.display_name)
        turn.say(w.not_a_pair.format(first=first_name, second=second_name, program=name))
        return
    asked = turn.uow.recognitions.add(
        turn.workspace.id,
        program.id,
        Kind.SPOTLIGHT,
        turn.person.id,
        first.id,
        second.id,
        story,
        turn.now,
    )
    send = Sender.live(turn.uow, program, turn.now, turn.capabilities)
    for member, partner in ((first, second), (second, first)):
        text = w.ask.format(program=name, partner=partner.display_name)
        message = m.Message((m.para(text), m.para(story), _buttons(asked)), text, kind="spotlight")
        send.direct(member, message, f"spotlight{asked.id}:{member.id}", budgeted=False)
    turn.say(w.asked.format(first=first.display_name, second=second.display_name, program=name))


class KudosFlow:
    """Consent to share a kudos or a spotlight in the program's channel."""

    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        turn.commands.fall_through(turn, text)

    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        w = words().kudos
        (raw,) = padded(args, 1)
        found = turn.uow.recognitions.get(int(raw)) if raw.isdigit() else None
        if found is None or found.posted_at is not None:
            turn.say(w.not_yours if found is None else _posted_words(turn, found))
            return
        ok = values[:1] == ("yes",)
        after = turn.uow.recognitions.consent(found.id, turn.person.id, ok)
        if after is None:
            turn.say(w.not_yours)
            return
        if not ok:
            turn.say(w.kept)
            return
        if not after.agreed:
            turn.say(w.waiting)
            return
        program = turn.uow.programs.by_id(after.program_id)
        if not program.spec.channel or not turn.uow.recognitions.posted(after.id, turn.now):
            turn.say(w.kept if not program.spec.channel else _posted_words(turn, after))
            return
        _post(turn, program, after)
        turn.say(_posted_words(turn, after))


def _posted_words(turn: Turn, found: Recognition) -> str:
    name = turn.uow.programs.by_id(found.program_id).spec.name
    return words().kudos.posted.format(program=name)


def _post(turn: Turn, program: Program, shared: Recognition) -> None:
    """The spotlight in the program's channel, and (for a pair's story) a word to the
    coordinator who wrote it."""
    people = turn.uow.people
    first = people.get(shared.first_id)
    heading = m.Heading(words().spotlight.heading)
    if shared.kind is Kind.KUDOS:
        author = people.get(shared.author_id)
        said = m.para(m.Mention(author.user_id), " thanks ", m.Mention(first.user_id), ":")
        blocks: tuple[m.Block, ...] = (heading, said, m.para(shared.words))
    else:
        second = people.get(shared.second_id or shared.first_id)
        pair = m.para(
            "From ",
            m.Bold(program.spec.name),
            ": ",
            m.Mention(first.user_id),
            " and ",
            m.Mention(second.user_id),
        )
        blocks = (heading, pair, m.para(shared.words))
        told = words().spotlight.told.format(
            first=first.display_name, second=second.display_name, program=program.spec.name
        )
        coordinator = people.get(shared.author_id)
        turn.post(
            m.ToPerson(coordinator.user_id),
            m.Message((m.para(told),), told, kind="spotlight"),
            f"spotlight{shared.id}:told",
        )
    message = m.Message(blocks, f"Spotlight in {program.spec.name}", kind="spotlight")
    turn.post(m.ToChannel(program.spec.channel or ""), message, f"spotlight{shared.id}")


def _takes_part(turn: Turn, program: Program, person: Person) -> bool:
    enrolment = turn.uow.enrolments.get(program.id, person.id)
    return enrolment is not None and enrolment.status in _TAKING_PART


def _coordinates(turn: Turn, program: Program) -> bool:
    return program.spec.coordinated_by(turn.person.user_id)


def _paired(turn: Turn, program: Program, first: Person, second: Person) -> bool:
    statuses = [MatchStatus.ACTIVE, MatchStatus.ENDED]
    return any(
        x.program_id == program.id and x.member(second.id) is not None
        for x in turn.uow.matches.of_person(first.id, statuses)
    )
