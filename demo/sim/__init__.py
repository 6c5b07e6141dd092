"""``tandem simulate``: a whole program in accelerated time, with simulated people.

``people`` holds how simulated people behave and ``answers`` what they answer;
``run`` drives the real engine, scheduler and outbox on a manual clock, delivering
through ``platform``; ``log`` writes ``messages.jsonl``;
``check`` verifies the log against the program's rules; ``report`` summarises;
``simulate`` runs it all for the command, on a fresh database.
"""
