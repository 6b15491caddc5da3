"""The terminal's side of the office link: who this terminal is, and the outbox of its facts.

Every fact (a paid order, a tender, a refund, a void, a 망취소 result, a day close, a staff or
menu change) gets a UUID made here and an outbox row written in the transaction that commits
it (docs/outbox.md); the pusher (pusher.py, run by ``kspos sync`` or in the POS by service.py)
sends the rows to the office (docs/office-api.md).
"""
